// The pipelines module's public API; see ../../docs/readme/pipelines.md
export {};
