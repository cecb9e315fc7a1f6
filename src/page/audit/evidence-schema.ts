// The evidence document's schema id, apart from its builder, which the page loads only on export.
export const EVIDENCE_SCHEMA = 'airlock-evidence/1';
