/**
 * The schema registration and compatibility step, over the Confluent Schema Registry REST
 * API. Every subject is set to BACKWARD compatibility: a new schema must read data written
 * with the previous one. An incompatible schema fails the step with the registry's reason.
 */

export interface SubjectSchema {
  subject: string;
  schema: object;
}

export interface RegistrationResult {
  subject: string;
  id?: number;
  compatible: boolean;
  messages: string[];
}

const CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';

async function call(registryUrl: string, method: string, path: string, body?: object) {
  const response = await fetch(`${registryUrl.replace(/\/$/, '')}${path}`, {
    method,
    headers: { 'content-type': CONTENT_TYPE, accept: CONTENT_TYPE },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? {} : JSON.parse(text) };
}

/** Is `schema` BACKWARD compatible with the latest version under `subject`? (A new subject is.) */
export async function checkCompatibility(
  registryUrl: string,
  entry: SubjectSchema,
): Promise<RegistrationResult> {
  const path = `/compatibility/subjects/${encodeURIComponent(entry.subject)}/versions/latest?verbose=true`;
  const { status, body } = await call(registryUrl, 'POST', path, {
    schemaType: 'AVRO',
    schema: JSON.stringify(entry.schema),
  });
  if (status === 404) return { subject: entry.subject, compatible: true, messages: [] };
  if (status !== 200)
    throw new Error(
      `compatibility check of ${entry.subject} failed: ${status} ${JSON.stringify(body)}`,
    );
  return {
    subject: entry.subject,
    compatible: body.is_compatible === true,
    messages: body.messages ?? [],
  };
}

/** Sets BACKWARD compatibility and registers the schema unless it breaks it. Idempotent. */
export async function registerSchema(
  registryUrl: string,
  entry: SubjectSchema,
): Promise<RegistrationResult> {
  const subjectPath = `/subjects/${encodeURIComponent(entry.subject)}`;
  const config = await call(registryUrl, 'PUT', `/config/${encodeURIComponent(entry.subject)}`, {
    compatibility: 'BACKWARD',
  });
  if (config.status !== 200)
    throw new Error(`setting compatibility of ${entry.subject} failed: ${config.status}`);
  const check = await checkCompatibility(registryUrl, entry);
  if (!check.compatible) return check;
  const { status, body } = await call(registryUrl, 'POST', `${subjectPath}/versions`, {
    schemaType: 'AVRO',
    schema: JSON.stringify(entry.schema),
  });
  if (status === 409)
    return {
      subject: entry.subject,
      compatible: false,
      messages: [body.message ?? 'incompatible'],
    };
  if (status !== 200)
    throw new Error(`registering ${entry.subject} failed: ${status} ${JSON.stringify(body)}`);
  return { subject: entry.subject, id: body.id, compatible: true, messages: [] };
}

/** Registers each schema in order; stops at nothing, so one run reports every incompatibility. */
export async function registerAll(
  registryUrl: string,
  entries: readonly SubjectSchema[],
): Promise<RegistrationResult[]> {
  const results: RegistrationResult[] = [];
  for (const entry of entries) results.push(await registerSchema(registryUrl, entry));
  return results;
}

/** Deletes a subject for good (soft, then permanent, as the API requires); a missing one is fine. */
export async function deleteSubject(registryUrl: string, subject: string): Promise<void> {
  const path = `/subjects/${encodeURIComponent(subject)}`;
  for (const suffix of ['', '?permanent=true']) {
    const { status } = await call(registryUrl, 'DELETE', path + suffix);
    if (status !== 200 && status !== 404)
      throw new Error(`deleting the subject ${subject} failed: ${status}`);
  }
}
