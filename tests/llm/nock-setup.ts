// Imported first by every LLM test file: no request leaves the machine except to the local fake
// servers (Bot API, fake OpenAI endpoint) on 127.0.0.1; every nock interceptor set must be used.
import nock from "nock";
import { afterAll, afterEach, beforeAll, expect } from "vitest";

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect(/^(127\.0\.0\.1|localhost)(:\d+)?$/);
});
afterEach(() => {
  const left = nock.pendingMocks();
  nock.cleanAll();
  expect(left, "interceptors set but never called").toEqual([]);
});
afterAll(() => {
  nock.restore();
  nock.enableNetConnect();
});

export { nock };
