import { describe, expect, it } from 'vitest';
import { readEvents, type ServerEvent } from './event-stream.ts';

function streamOf(chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
}

describe('readEvents', () => {
  it('parses events split across chunks and skips keep-alive comments', async () => {
    const events: ServerEvent[] = [];
    for await (const e of readEvents(
      streamOf([
        ': keep-alive\n\nevent: po',
        'ke\ndata: {"streams":["rules"]}\n',
        '\nevent: poke\r\ndata: 1\r\n\r\n',
      ]),
    ))
      events.push(e);
    expect(events).toEqual([
      { event: 'poke', data: '{"streams":["rules"]}' },
      { event: 'poke', data: '1' },
    ]);
  });
});
