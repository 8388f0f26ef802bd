/**
 * Scaling the captured tab down to the small picture the report keeps (at most
 * SCREENSHOT_MAX_WIDTH × SCREENSHOT_MAX_HEIGHT): a full-size capture would make the JSON and the
 * PDF large for no gain, and could show more of the user's screen than the report needs.
 */
import { SCREENSHOT_MAX_HEIGHT, SCREENSHOT_MAX_WIDTH, fitWithin, type AuditScreenshot } from '@/lib/audit-document';

const JPEG_QUALITY = 0.7;

function loadImage(src: string): Promise<HTMLImageElement> {
  return new Promise((resolve, reject) => {
    const img = new Image();
    img.onload = () => resolve(img);
    img.onerror = () => reject(new Error('the captured image could not be read'));
    img.src = src;
  });
}

export async function shrinkScreenshot(dataUrl: string, capturedAt: number): Promise<AuditScreenshot> {
  const img = await loadImage(dataUrl);
  const { width, height } = fitWithin(img.naturalWidth, img.naturalHeight, SCREENSHOT_MAX_WIDTH, SCREENSHOT_MAX_HEIGHT);
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no canvas to scale the image');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, width, height);
  ctx.drawImage(img, 0, 0, width, height);
  return {
    mediaType: 'image/jpeg',
    width,
    height,
    capturedAt: new Date(capturedAt).toISOString(),
    dataUrl: canvas.toDataURL('image/jpeg', JPEG_QUALITY),
  };
}
