// The evidence report's data: what `airlock evidence` read and concluded, written as report.json
// and drawn as report.html. Times are ISO 8601 strings in UTC, sizes bytes.

export const REPORT_SCHEMA = 'airlock-evidence-report/1';

/** One request a runtime made, as its audit export or the collector recorded it. */
export interface ObservedRequest {
  url: string;
  origin: string;
  status: number;
  bytes: number;
  initiator: string;
  at: string;
}

export interface ObservedDenial {
  url: string;
  reason: string;
  modelId?: string;
  at: string;
}

export interface ObservedVerification {
  modelId: string;
  path: string;
  sha256: string;
  ok: boolean;
  stage: string;
  at: string;
}

export interface ObservedLoad {
  modelId: string;
  revision: string;
  backend: string;
  at: string;
}

export interface ObservedSoftware {
  airlock: string | null;
  transformersJs: string | null;
  onnxruntimeWeb: string | null;
  userAgent: string | null;
}

/** One audit input: an `airlock-evidence/1` export, or the events of a collector log. */
export interface AuditSource {
  /** the file, and for a collector log the resource it came from */
  file: string;
  kind: 'export' | 'collector';
  pageOrigin: string | null;
  /** the origins the runtime itself allowed (an export's policy), if known */
  allowedOrigins: string[];
  software: ObservedSoftware;
  /** every request the runtime counted, including those its log no longer held */
  requestTotal: number;
  /** false when the runtime said requests may be missing (a crashed worker) */
  complete: boolean;
  requests: ObservedRequest[];
  denials: ObservedDenial[];
  verifications: ObservedVerification[];
  loads: ObservedLoad[];
}

/** One line of an access log, from `airlock serve` or nginx's `combined` format. */
export interface AccessEntry {
  file: string;
  line: number;
  format: 'airlock' | 'combined';
  time: string;
  method: string;
  path: string;
  status: number;
  bytes: number;
  client: string | null;
  origin: string | null;
  userAgent: string | null;
}

export interface HostingPolicy {
  allowedOrigins: string[];
  models: { id: string; revisions?: string[] }[] | 'any-signed';
  backends: string[];
  maxModelBytes: number;
  collector?: string;
  evidenceRetentionDays: number;
  issuedAt: string;
}

export interface ModelFileEntry {
  path: string;
  size: number;
  sha256: string;
}

export interface ModelEntry {
  id: string;
  revision: string;
  task: string;
  license: string;
  source: string;
  /** the signature's key id (`manifest.json.sig`), null when unsigned */
  signer: string | null;
  files: ModelFileEntry[];
  size: number;
  mirroredAt: string;
  /** where `mirroredAt` comes from */
  mirroredFrom: 'manifest' | 'file-mtime';
  /** the latest successful verification in the audit inputs, null when none */
  lastVerified: string | null;
  failedVerifications: number;
  /** NOTICE / README / model card text found beside the manifest, by file name */
  card: { file: string; text: string }[];
}

export interface RuntimeComponent {
  /** package name */
  name: string;
  version: string;
  /** where the version was found: `app` (the built app's files), `audit` (the exports' software fields) */
  foundIn: ('app' | 'audit')[];
  released: string | null;
  /** where the date comes from */
  releasedFrom: 'releases-file' | null;
  ageDays: number | null;
  tooOld: boolean;
  advisories: { id: string; summary: string }[];
}

export interface RuntimeFile {
  path: string;
  size: number;
  sha256: string;
}

export type CheckStatus = 'pass' | 'fail' | 'note';

export interface SummaryLine {
  id: string;
  status: CheckStatus;
  text: string;
}

export interface EgressPerSource {
  file: string;
  requests: number;
  outside: { origin: string; count: number }[];
  complete: boolean;
}

export interface AccessGroup {
  origin: string;
  client: string;
  endpoint: 'models' | 'runtime' | 'collector' | 'policy' | 'other';
  count: number;
  bytes: number;
  statuses: Record<string, number>;
}

export interface EvidenceReport {
  schema: typeof REPORT_SCHEMA;
  generatedAt: string;
  tool: { name: string; version: string };
  inputs: { models: string; audit: string[]; accessLogs: string[]; policy: string | null; app: string | null };
  summary: SummaryLine[];
  network: {
    allowedOrigins: string[];
    modelOrigin: string | null;
    collector: string | null;
    /** browsers: access-log clients and audited pages, with the boxes (origins, the collector URL) they reached */
    clients: { label: string; reaches: string[] }[];
    foreignOrigins: string[];
  };
  access: { entries: AccessEntry[]; groups: AccessGroup[] };
  egress: EgressPerSource[];
  requests: (ObservedRequest & { file: string; allowed: boolean })[];
  policy: { given: boolean; data: HostingPolicy | null; words: string[] };
  denials: (ObservedDenial & { file: string })[];
  models: ModelEntry[];
  runtime: { components: RuntimeComponent[]; files: RuntimeFile[]; maxAgeDays: number };
}
