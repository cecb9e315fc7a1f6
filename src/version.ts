// This library's name and version, for the evidence it exports (a unit test keeps it equal to package.json).
export const LIBRARY = { name: 'airlock', version: '0.1.0' } as const;
