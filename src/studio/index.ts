// The studio module's public API; see ../../docs/readme/studio.md
export {};
