import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scratchSubjects, stackAddresses, uniqueName } from '@commerce/testing';
import { describe, expect, it } from 'vitest';
import { eventSchemas } from '../src/contracts.generated.ts';
import { checkAgainstHistory, checkSchemas, gitHistory } from '../src/history.ts';
import { deleteSubject, registerAll, registerSchema } from '../src/registration.ts';

const registryUrl = stackAddresses().schemaRegistryUrl;
const v1 = eventSchemas.PaymentCompleted as { fields: object[] };
const withTax = (extra: object = {}) => ({
  ...v1,
  fields: [...v1.fields, { name: 'tax', type: 'long', doc: 'tax', ...extra }],
});

const scratchSubject = scratchSubjects((subject) => deleteSubject(registryUrl, subject));

async function subjectsNamed(fragment: string): Promise<string[]> {
  const all = (await (await fetch(`${registryUrl}/subjects`)).json()) as string[];
  return all.filter((subject) => subject.includes(fragment));
}

function commitSchema(repo: string, schema: object) {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, stdio: 'pipe' });
  writeFileSync(join(repo, 'PaymentCompleted.avsc'), JSON.stringify(schema));
  git('add', '.');
  git('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'schema');
}

describe('schema registration step', () => {
  it('when a new version adds a field without a default, then the step refuses it', async () => {
    const subject = scratchSubject('payment');
    const breaking = {
      ...v1,
      fields: [...v1.fields, { name: 'taxAmount', type: 'long', doc: 'tax' }],
    };

    const [first, second] = await registerAll(registryUrl, [
      { subject, schema: v1 },
      { subject, schema: breaking },
    ]);

    expect(first).toMatchObject({ compatible: true, id: expect.any(Number) });
    expect(second).toMatchObject({ compatible: false });
    expect(second?.id).toBeUndefined();
  });

  it('when a new version adds a field with a default, then the step registers it as the next version', async () => {
    const subject = scratchSubject('payment');
    const compatible = {
      ...v1,
      fields: [...v1.fields, { name: 'taxAmount', type: 'long', doc: 'tax', default: 0 }],
    };

    const first = await registerSchema(registryUrl, { subject, schema: v1 });
    const second = await registerSchema(registryUrl, { subject, schema: compatible });
    const again = await registerSchema(registryUrl, { subject, schema: compatible });

    expect(second).toMatchObject({ compatible: true });
    expect(second.id).not.toBe(first.id);
    expect(again.id).toBe(second.id);
  });

  it('when a committed schema is changed incompatibly, then the history check of the build fails', async () => {
    const repo = mkdtempSync(join(tmpdir(), 'schemas-'));
    execFileSync('git', ['init', '-q'], { cwd: repo });
    commitSchema(repo, v1);
    const file = join(repo, 'PaymentCompleted.avsc');
    const entry = { file, subject: uniqueName('payment') };

    writeFileSync(file, JSON.stringify(withTax()));
    const [breaking] = await checkAgainstHistory(registryUrl, [entry]);
    writeFileSync(file, JSON.stringify(withTax({ default: 0 })));
    const [compatible] = await checkAgainstHistory(registryUrl, [entry]);

    expect(breaking).toMatchObject({ subject: entry.subject, compatible: false });
    expect(compatible).toMatchObject({ subject: entry.subject, compatible: true });
    expect(await subjectsNamed(entry.subject)).toEqual([]);
  });

  it('when the clone is shallow, then the check runs against the registry and still catches a breaking change', async () => {
    const origin = mkdtempSync(join(tmpdir(), 'schemas-origin-'));
    execFileSync('git', ['init', '-q'], { cwd: origin });
    commitSchema(origin, v1);
    commitSchema(origin, { ...v1, doc: 'second commit, same contract' });
    const clone = mkdtempSync(join(tmpdir(), 'schemas-shallow-'));
    execFileSync('git', ['clone', '-q', '--depth', '1', `file://${origin}`, clone]);
    const file = join(clone, 'PaymentCompleted.avsc');
    const entry = { file, subject: scratchSubject('payment') };
    await registerSchema(registryUrl, { subject: entry.subject, schema: v1 });

    writeFileSync(file, JSON.stringify(withTax()));
    const breaking = await checkSchemas(registryUrl, [entry]);
    writeFileSync(file, JSON.stringify(withTax({ default: 0 })));
    const compatible = await checkSchemas(registryUrl, [entry]);

    expect(gitHistory(clone)).toBe('shallow');
    expect(breaking).toMatchObject({ against: 'registry', results: [{ compatible: false }] });
    expect(compatible).toMatchObject({ against: 'registry', results: [{ compatible: true }] });
  });
});
