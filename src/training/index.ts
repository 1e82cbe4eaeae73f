// The training module's public API; see ../../docs/readme/training.md
export {};
