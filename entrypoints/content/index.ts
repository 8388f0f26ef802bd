import { PLATFORM_MATCHES } from '@/utils/platform-hosts';
export default defineContentScript({
  matches: PLATFORM_MATCHES,
  main() {},
});
