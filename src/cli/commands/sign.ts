// airlock sign <models/> --key <key file>: a detached signature beside every manifest and the index.
import { resolve } from 'node:path';
import { CliError } from '../../node/errors.js';
import { inside, signTree } from '../../node/trust/sign-tree.js';
import { readSigningKey } from '../../node/trust/signing-key.js';
import type { CommandSpec, Parsed } from '../args.js';
import type { Output } from '../output.js';

export const spec: CommandSpec = {
  name: 'sign',
  short: 'sign every manifest (and index.json) of a model tree',
  args: '<models/>',
  summary: [
    'Writes X.sig beside every <id>/manifest.json of the tree and its index.json: an Ed25519',
    'signature over the exact bytes of X, with the id of the key. Run it after manifest, pull and',
    'index (a signature covers the bytes as they are). Refuses a key file that group or others can',
    'read, and one that lies inside the model tree.',
  ].join('\n'),
  positionals: [1, 1],
  options: { key: { type: 'string', value: '<key file>', help: 'the airlock-signing-key.json from airlock keygen' } },
};

export async function run(p: Parsed, out: Output): Promise<unknown> {
  const root = resolve(p.positionals[0]!);
  if (typeof p.values.key !== 'string')
    throw new CliError('BAD_USAGE', 'sign needs --key <key file>', 'See airlock sign --help');
  const keyFile = resolve(p.values.key);
  if (inside(root, keyFile))
    throw new CliError(
      'BAD_USAGE',
      `The key file ${keyFile} lies inside the model tree ${root}, which the origin serves`,
      'Move it out of the tree (and make a new key: this one may have been served)',
      { keyFile, dir: root },
    );
  const key = await readSigningKey(keyFile);
  const signed = await signTree(root, key);
  for (const s of signed) out.say(`signed ${s.path} -> ${s.signature}`);
  out.say(`${signed.length} files signed with key ${key.keyId} (${key.publicKey})`);
  return { keyId: key.keyId, publicKey: key.publicKey, signed };
}
