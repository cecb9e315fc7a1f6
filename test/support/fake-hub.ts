// A Hugging Face-compatible hub on 127.0.0.1, written from the hub's documented API, and a second
// loopback "storage" host its LFS files redirect to. It serves copies of the fixtures in models/
// with several dtype variants, logs every request with its headers, and misbehaves on cue.
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, relative, sep } from 'node:path';
import { MODELS_DIR } from './paths.js';

export interface HubFile {
  path: string;
  bytes: Buffer;
  lfs: boolean;
}
interface Repo {
  gated: boolean;
  task: string;
  license: string;
  refs: Map<string, string>;
  commits: Map<string, Map<string, HubFile>>;
}
export interface LoggedRequest {
  host: 'hub' | 'storage';
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  status?: number;
}

/** the variants each fixture's onnx/model.onnx is copied to, as transformers.js names them */
export const VARIANTS = {
  fp32: 'model.onnx',
  fp16: 'model_fp16.onnx',
  q8: 'model_quantized.onnx',
  q4: 'model_q4.onnx',
  int8: 'model_int8.onnx',
} as const;
export const TOKEN = 'hf_test_token_0123456789';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const gitBlobId = (b: Buffer) => createHash('sha1').update(`blob ${b.length}\0`).update(b).digest('hex');
const newCommit = () => randomBytes(20).toString('hex');

/** A valid ONNX file with another hash: an unknown protobuf field (number 1000) carrying `tag`. */
export function variantOf(onnx: Buffer, tag: string): Buffer {
  const payload = Buffer.from(tag);
  return Buffer.concat([onnx, Buffer.from([0xc2, 0x3e, payload.length]), payload]);
}

function withoutDtype(config: Buffer): Buffer {
  const { 'transformers.js_config': _, ...rest } = JSON.parse(config.toString()) as Record<string, unknown>;
  return Buffer.from(JSON.stringify(rest, null, 2));
}

function fixtureFiles(model: string): HubFile[] {
  const dir = join(MODELS_DIR, model);
  const files: HubFile[] = readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name !== 'manifest.json')
    .map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join('/'))
    .filter((p) => p !== 'onnx/model.onnx')
    .map((path) => ({ path, bytes: readFileSync(join(dir, path)), lfs: path.endsWith('.onnx') }));
  const onnx = readFileSync(join(dir, 'onnx/model.onnx'));
  for (const [dtype, name] of Object.entries(VARIANTS))
    files.push({ path: `onnx/${name}`, bytes: dtype === 'fp32' ? onnx : variantOf(onnx, dtype), lfs: true });
  files.push({ path: 'README.md', bytes: Buffer.from(`# ${model}\n`), lfs: false });
  files.push({
    path: '.gitattributes',
    bytes: Buffer.from('*.onnx filter=lfs diff=lfs merge=lfs -text\n'),
    lfs: false,
  });
  return files;
}

export interface Faults {
  /** storage cuts the first transfer of these files halfway */
  cut: Set<string>;
  /** storage flips a byte of these files, every time */
  wrong: Set<string>;
  /** how the revision API answers ('hang': never) */
  api: 'ok' | 'html' | '500' | 'hang';
}

export class FakeHub {
  readonly requests: LoggedRequest[] = [];
  readonly faults: Faults = { cut: new Set(), wrong: new Set(), api: 'ok' };
  private readonly repos = new Map<string, Repo>();
  /** old id -> new id: the hub answers the old one with a 307 to the new one, as for a renamed repo */
  readonly renames = new Map<string, string>();
  private readonly cutDone = new Set<string>();
  private hubServer?: Server;
  private storageServer?: Server;
  origin = '';
  storageOrigin = '';

  constructor() {
    const lm = fixtureFiles('tiny-lm');
    lm.push({ path: 'onnx/model_fp16.onnx_data', bytes: randomBytes(3000), lfs: true });
    this.addRepo('airlock-test/tiny-sentiment', fixtureFiles('tiny-sentiment'), {
      task: 'text-classification',
      license: 'mit',
    });
    this.addRepo('airlock-test/tiny-lm', lm, { task: 'text-generation', license: 'apache-2.0' });
    // a config.json that names no dtype, so transformers.js picks q8 on WASM and fp32 on WebGPU
    const plain = fixtureFiles('tiny-sentiment').map((f) =>
      f.path === 'config.json' ? { ...f, bytes: withoutDtype(f.bytes) } : f,
    );
    this.addRepo('airlock-test/plain-sentiment', plain, { task: 'text-classification', license: 'mit' });
    this.addRepo('airlock-test/gated-lm', fixtureFiles('tiny-lm'), {
      task: 'text-generation',
      license: 'llama3',
      gated: true,
    });
  }

  addRepo(id: string, files: HubFile[], o: { task: string; license: string; gated?: boolean }): void {
    const commit = newCommit();
    this.repos.set(id, {
      gated: o.gated ?? false,
      task: o.task,
      license: o.license,
      refs: new Map([['main', commit]]),
      commits: new Map([[commit, new Map(files.map((f) => [f.path, f]))]]),
    });
  }

  commitOf(id: string, ref = 'main'): string {
    return this.repos.get(id)!.refs.get(ref)!;
  }

  files(id: string, ref = 'main'): Map<string, HubFile> {
    const repo = this.repos.get(id)!;
    return repo.commits.get(repo.refs.get(ref) ?? ref)!;
  }

  /** A new commit on main that replaces (or adds) `changes`; returns its sha. */
  commit(id: string, changes: HubFile[]): string {
    const repo = this.repos.get(id)!;
    const files = new Map(this.files(id));
    for (const f of changes) files.set(f.path, f);
    const sha = newCommit();
    repo.commits.set(sha, files);
    repo.refs.set('main', sha);
    return sha;
  }

  storageRequests(): LoggedRequest[] {
    return this.requests.filter((r) => r.host === 'storage');
  }

  async start(): Promise<void> {
    this.storageServer = await listen((req, res) => this.storage(req, res));
    this.storageOrigin = originOf(this.storageServer);
    this.hubServer = await listen((req, res) => this.hub(req, res));
    this.origin = originOf(this.hubServer);
  }

  async stop(): Promise<void> {
    for (const s of [this.hubServer, this.storageServer]) {
      s?.closeAllConnections();
      await new Promise((done) => (s ? s.close(done) : done(undefined)));
    }
  }

  private log(host: LoggedRequest['host'], req: IncomingMessage, res: ServerResponse): void {
    const entry: LoggedRequest = { host, method: req.method ?? '', url: req.url ?? '', headers: req.headers };
    this.requests.push(entry);
    res.on('close', () => (entry.status = res.statusCode));
  }

  private hub(req: IncomingMessage, res: ServerResponse): void {
    this.log('hub', req, res);
    const url = new URL(req.url ?? '/', this.origin);
    const api = /^\/api\/models\/([^/]+\/[^/]+)\/revision\/([^/]+)$/.exec(url.pathname);
    const resolve = /^\/([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(url.pathname);
    const id = decodeURIComponent((api ?? resolve)?.[1] ?? '');
    const repo = this.repos.get(id);
    if (!api && !resolve) return htmlError(res, 404, undefined);
    const renamed = this.renames.get(id);
    if (renamed)
      return void res
        .writeHead(307, { Location: `${url.pathname.replace(`/${id}/`, `/${renamed}/`)}${url.search}` })
        .end();
    if (api && this.faults.api === 'hang') return;
    if (api && this.faults.api === 'html') return htmlPage(res, 200);
    if (api && this.faults.api === '500') return htmlPage(res, 500);
    if (!repo) return htmlError(res, 401, 'RepoNotFound'); // as the hub: 401 for a repo it will not name
    if (repo.gated && req.headers.authorization !== `Bearer ${TOKEN}`) return htmlError(res, 401, 'GatedRepo');
    const ref = decodeURIComponent((api ?? resolve)![2]!);
    const commit = repo.refs.get(ref) ?? (repo.commits.has(ref) ? ref : undefined);
    if (!commit) return htmlError(res, 404, 'RevisionNotFound');
    const files = repo.commits.get(commit)!;
    if (api) return this.revisionJson(res, id, repo, commit, files);
    const file = files.get(decodeURIComponent(resolve![3]!));
    if (!file) return htmlError(res, 404, 'EntryNotFound');
    res.setHeader('X-Repo-Commit', commit);
    if (file.lfs) {
      const hash = sha256(file.bytes);
      res.writeHead(302, {
        Location: `${this.storageOrigin}/lfs/${hash}?X-Amz-Signature=${randomBytes(8).toString('hex')}`,
        'X-Linked-Etag': `"${hash}"`,
        'X-Linked-Size': String(file.bytes.length),
        ETag: `"${gitBlobId(file.bytes)}"`,
      });
      return void res.end();
    }
    res.setHeader('ETag', `"${gitBlobId(file.bytes)}"`);
    sendBytes(req, res, file.bytes);
  }

  private revisionJson(res: ServerResponse, id: string, repo: Repo, commit: string, files: Map<string, HubFile>): void {
    const siblings = [...files.values()].map((f) => ({
      rfilename: f.path,
      size: f.lfs ? 134 : f.bytes.length,
      blobId: f.lfs
        ? gitBlobId(
            Buffer.from(
              `version https://git-lfs.github.com/spec/v1\noid sha256:${sha256(f.bytes)}\nsize ${f.bytes.length}\n`,
            ),
          )
        : gitBlobId(f.bytes),
      ...(f.lfs && { lfs: { sha256: sha256(f.bytes), size: f.bytes.length, pointerSize: 134 } }),
    }));
    res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8' });
    res.end(
      JSON.stringify({
        _id: id,
        id,
        sha: commit,
        gated: repo.gated ? 'auto' : false,
        pipeline_tag: repo.task,
        cardData: { license: repo.license },
        siblings,
      }),
    );
  }

  private storage(req: IncomingMessage, res: ServerResponse): void {
    this.log('storage', req, res);
    const hash = /^\/lfs\/([0-9a-f]{64})$/.exec(new URL(req.url ?? '/', this.storageOrigin).pathname)?.[1];
    const file = [...this.repos.values()]
      .flatMap((r) => [...r.commits.values()].flatMap((c) => [...c.values()]))
      .find((f) => f.lfs && sha256(f.bytes) === hash);
    if (!file) return htmlError(res, 404, undefined);
    let bytes = file.bytes;
    if (this.faults.wrong.has(file.path)) {
      bytes = Buffer.from(bytes);
      bytes[bytes.length >> 1]! ^= 0xff;
    }
    if (this.faults.cut.has(file.path) && !this.cutDone.has(file.path)) {
      this.cutDone.add(file.path);
      res.writeHead(200, { 'Content-Length': String(bytes.length), 'Content-Type': 'application/octet-stream' });
      res.write(bytes.subarray(0, bytes.length >> 1));
      return void setTimeout(() => res.destroy(), 20);
    }
    sendBytes(req, res, bytes);
  }
}

function sendBytes(req: IncomingMessage, res: ServerResponse, bytes: Buffer): void {
  const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
  res.setHeader('Accept-Ranges', 'bytes');
  res.setHeader('Content-Type', 'application/octet-stream');
  if (range) {
    const start = Number(range[1]);
    if (start >= bytes.length) return void res.writeHead(416, { 'Content-Range': `bytes */${bytes.length}` }).end();
    res.writeHead(206, {
      'Content-Range': `bytes ${start}-${bytes.length - 1}/${bytes.length}`,
      'Content-Length': String(bytes.length - start),
    });
    return void res.end(bytes.subarray(start));
  }
  res.writeHead(200, { 'Content-Length': String(bytes.length) });
  res.end(bytes);
}

function htmlPage(res: ServerResponse, status: number): void {
  res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8' });
  res.end('<!doctype html><title>Hub</title><p>Something went wrong</p>');
}

function htmlError(res: ServerResponse, status: number, code: string | undefined): void {
  if (code) res.setHeader('X-Error-Code', code);
  htmlPage(res, status);
}

function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<Server> {
  const server = createServer(handler);
  return new Promise((done) => server.listen(0, '127.0.0.1', () => done(server)));
}

function originOf(server: Server): string {
  const { port } = server.address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}
