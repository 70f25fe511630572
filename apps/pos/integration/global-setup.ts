// The terminal's integration tests start the real server, so they share the server tests' setup:
// one real PostgreSQL (embedded in a temporary folder, or TEST_DATABASE_URL).
import setup from '../../server/test/global-setup.ts';

export default setup;
