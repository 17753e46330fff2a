import { parseArgs } from 'node:util';
import { mintShopperToken } from '../security/mint.ts';
import { shopperIdPattern } from '../security/shopper-tokens.ts';
import { readMintTokenConfig } from './config.ts';
import { loadOrCreateLocalKeys, localAudience, localIssuer } from './local-keys.ts';

const usage = `mint-token: shopper tokens for the local stack, signed with its own key pair.
  mint-token [--ttl SECONDS] USER_ID...   one token per line, in the order given
  mint-token --env                         shell exports of the services' JWT_* settings`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    env: { type: 'boolean' },
    ttl: { type: 'string', default: '3600' },
    help: { type: 'boolean' },
  },
});
const ttl = Number(values.ttl);
const badUser = positionals.find((userId) => !shopperIdPattern.test(userId));
if (values.help || (!values.env && positionals.length === 0) || !Number.isInteger(ttl) || badUser) {
  if (badUser) console.error(`not a user id: ${badUser} (letters, digits and _ . : - only)`);
  console.error(usage);
  process.exit(2);
}

const keys = loadOrCreateLocalKeys(readMintTokenConfig().COMMERCE_STACK_DIR);
if (values.env) {
  const quoted = (value: string) => `'${value.replaceAll("'", "'\\''")}'`;
  console.log(`export JWT_ISSUER=${quoted(localIssuer)}`);
  console.log(`export JWT_AUDIENCE=${quoted(localAudience)}`);
  console.log(`export JWT_PUBLIC_KEY=${quoted(keys.publicKeyPem)}`);
} else {
  for (const userId of positionals) {
    const token = await mintShopperToken(keys.privateKey, {
      userId,
      issuer: localIssuer,
      audience: localAudience,
      expiresInSeconds: ttl,
    });
    console.log(token);
  }
}
