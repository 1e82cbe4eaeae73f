// The inference module's public API; see ../../docs/readme/inference.md
export {};
