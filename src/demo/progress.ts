import type { MediaFileView, RetrievalView } from '../domain/retrieval';

/** Prints what changed since the last view: the status line and each file's state. */
export function progressPrinter(write: (line: string) => void = console.log) {
  let lastStatus = '';
  const fileStates = new Map<string, string>();

  return (view: RetrievalView) => {
    const status = `${view.status} · ${view.phaseDetail}`;
    if (status !== lastStatus) {
      lastStatus = status;
      write(`  [${view.status}] ${view.phaseDetail}`);
    }
    for (const file of view.files) {
      const id = `${file.source}-${file.startTime}`;
      if (fileStates.get(id) === file.state) continue;
      fileStates.set(id, file.state);
      write(`    ${mark(file.state)} ${describeFile(file)}`);
    }
  };
}

function mark(state: MediaFileView['state']): string {
  return { EXPECTED: '·', TRANSFERRING: '↓', STORED: '✔', MISSING: '✘' }[state];
}

function describeFile(file: MediaFileView): string {
  const time = (ms: number) => `${new Date(ms).toISOString().slice(11, 19)}Z`;
  const span = `${file.source.padEnd(6)} ${time(file.startTime)}–${time(file.endTime)}`;
  if (file.state === 'STORED')
    return `${span} stored ${file.bytes} bytes, sha256 ${file.sha256?.slice(0, 12)}…`;
  if (file.state === 'MISSING') return `${span} missing: ${file.reason ?? 'unknown'}`;
  return `${span} ${file.state.toLowerCase()}`;
}
