import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stackAddresses, uniqueName } from '@commerce/testing';
import { describe, expect, it } from 'vitest';
import { eventSchemas } from '../src/contracts.generated.ts';
import { checkAgainstHistory } from '../src/history.ts';
import { registerAll, registerSchema } from '../src/registration.ts';

const registryUrl = stackAddresses().schemaRegistryUrl;
const v1 = eventSchemas.PaymentCompleted as { fields: object[] };

describe('schema registration step', () => {
  it('when a new version adds a field without a default, then the step refuses it', async () => {
    const subject = uniqueName('payment');
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
    const subject = uniqueName('payment');
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
    const file = join(repo, 'PaymentCompleted.avsc');
    const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, stdio: 'pipe' });
    git('init', '-q');
    writeFileSync(file, JSON.stringify(v1));
    git('add', '.');
    git('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'v1');
    const entry = { file, subject: uniqueName('payment') };

    writeFileSync(
      file,
      JSON.stringify({ ...v1, fields: [...v1.fields, { name: 'tax', type: 'long', doc: 'tax' }] }),
    );
    const [breaking] = await checkAgainstHistory(registryUrl, [entry]);
    writeFileSync(
      file,
      JSON.stringify({
        ...v1,
        fields: [...v1.fields, { name: 'tax', type: 'long', doc: 'tax', default: 0 }],
      }),
    );
    const [compatible] = await checkAgainstHistory(registryUrl, [entry]);

    expect(breaking).toMatchObject({ subject: entry.subject, compatible: false });
    expect(compatible).toMatchObject({ subject: entry.subject, compatible: true });
  });
});
