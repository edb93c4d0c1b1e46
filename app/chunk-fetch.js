// 共治: the fetch __wasm_split.js uses for a page's chunk (scripts/split-wasm.sh
// puts this file in front of it). A chunk load that fails panics the whole
// app and leaves it dead (TOOLCHAIN.md), so this fetch never fails: when the
// chunk cannot be fetched (network gone, server error) it shows a Chinese
// message with a 重试 button and tries again when the button is pressed or
// the network comes back. The page that was open stays usable meanwhile.
let gongzhiChunkWaiters = [];

function gongzhiChunkNotice() {
  let box = document.getElementById('chunk-retry');
  if (box) return;
  box = document.createElement('div');
  box.id = 'chunk-retry';
  box.className = 'chunk-retry';
  box.setAttribute('role', 'alert');
  const text = document.createElement('p');
  text.textContent = '页面文件未能下载,可能是网络中断。请检查网络后重试。';
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'btn btn-primary';
  button.textContent = '重试';
  button.addEventListener('click', gongzhiChunkRetry);
  box.append(text, button);
  document.body.append(box);
  button.focus();
}

function gongzhiChunkRetry() {
  const box = document.getElementById('chunk-retry');
  if (box) box.remove();
  const waiters = gongzhiChunkWaiters;
  gongzhiChunkWaiters = [];
  waiters.forEach((wake) => wake());
}

addEventListener('online', gongzhiChunkRetry);

async function gongzhiFetchChunk(url) {
  for (;;) {
    try {
      const response = await fetch(url);
      const type = response.headers.get('content-type') || '';
      if (response.ok && type.startsWith('application/wasm')) return response;
      console.warn('共治: chunk', String(url), 'answered', response.status, type);
    } catch (e) {
      console.warn('共治: chunk', String(url), 'failed', e);
    }
    await new Promise((wake) => {
      gongzhiChunkWaiters.push(wake);
      gongzhiChunkNotice();
    });
  }
}
