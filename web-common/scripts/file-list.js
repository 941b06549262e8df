// Writes files.txt in a built front-end's folder: the list of every file the bridge may serve (it
// cannot list a folder inside a jar). Shared by the call widget's and the client page's builds.
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

export function writeFileList(outDir) {
  const listed = [];
  (function walk(dir) {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) {
        walk(path);
      } else if (name !== 'files.txt') {
        listed.push(relative(outDir, path).split(sep).join('/'));
      }
    }
  })(outDir);
  writeFileSync(join(outDir, 'files.txt'), `${listed.join('\n')}\n`);
}
