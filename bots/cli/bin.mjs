#!/usr/bin/env node
// The `scipop` command. The sources are TypeScript, run through tsx's loader.
import { register } from 'tsx/esm/api';

register();
// `scipop glossary terms | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});
const { main } = await import('./main.ts');
await main(process.argv);
