// The platform module's public API; see ../../docs/readme/platform.md
export {};
