// The nag module's public API; see ../../docs/readme/nag.md
export {};
