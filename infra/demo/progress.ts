// Live progress: counters rewritten in place on a terminal; plain lines, at most every two
// seconds, when the output is a file or a CI log.
const live = Boolean(process.stdout.isTTY);

export function progress(label: string) {
  let shownAt = 0;
  let text = '';
  return {
    update(next: string) {
      text = next;
      if (live) process.stdout.write(`\r\x1b[2K   ${label}: ${text}`);
      else if (Date.now() - shownAt >= 2_000) {
        shownAt = Date.now();
        console.log(`   ${label}: ${text}`);
      }
    },
    done(final = text) {
      if (live) process.stdout.write('\r\x1b[2K');
      console.log(`   ${label}: ${final}`);
    },
  };
}

export function step(title: string) {
  console.log(`\n${title}`);
}
