#!/usr/bin/env node
// The raftlab command. The project is TypeScript run directly (no build step): register
// tsx's loader, then hand over to the CLI.
import { register } from "tsx/esm/api";

register();
await import("../src/cli/main.ts");
