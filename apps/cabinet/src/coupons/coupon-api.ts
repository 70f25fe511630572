// Coupon series (C6) over REST: the series with their usage, issue (unique codes or one shared
// code), and the codes of a series page by page. The server has no XLSX export of codes yet, so
// the export walks the codes route in its largest pages and saves them as CSV.
import type { z } from 'zod';
import { pageOf } from '@loyalty/protocol/api/common.schema';
import {
  couponCodeSchema,
  couponSeriesSchema,
  type couponSeriesCreateSchema,
} from '@loyalty/protocol/api/programme.schema';
import { api, withQuery } from '#api/http-client.ts';

export type CouponSeries = z.output<typeof couponSeriesSchema>;
export type CouponCode = z.output<typeof couponCodeSchema>;
export type CouponSeriesCreate = z.input<typeof couponSeriesCreateSchema>;

const seriesListSchema = couponSeriesSchema.array();
const codePageSchema = pageOf(couponCodeSchema);
/** The largest page the codes route answers. */
const EXPORT_PAGE = 5000;

export const fetchCouponSeries = () => api(seriesListSchema, 'GET', '/coupon-series');

export const createCouponSeries = (body: CouponSeriesCreate) =>
  api(couponSeriesSchema, 'POST', '/coupon-series', body);

export const fetchCouponCodes = (seriesId: string, page: number, pageSize: number) =>
  api(codePageSchema, 'GET', withQuery(`/coupon-series/${seriesId}/codes`, { page, pageSize }));

const csvCell = (value: string) => (/[;"\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

/** Every code of a series with its uses as CSV (";"-separated, UTF-8 with BOM for Excel). */
export async function exportCouponCodes(series: CouponSeries, headers: readonly string[]): Promise<void> {
  const lines = [headers.map(csvCell).join(';')];
  for (let page = 1; ; page++) {
    const chunk = await fetchCouponCodes(series.id, page, EXPORT_PAGE);
    for (const c of chunk.items)
      lines.push(
        [c.code, String(c.uses), c.blocked ? '1' : '0', c.issuedToBuyerId ?? ''].map(csvCell).join(';'),
      );
    if (page * EXPORT_PAGE >= chunk.total || chunk.items.length === 0) break;
  }
  const url = URL.createObjectURL(
    new Blob(['\uFEFF', lines.join('\r\n')], { type: 'text/csv;charset=utf-8' }),
  );
  const link = document.createElement('a');
  link.href = url;
  link.download = `coupons-${series.name.replace(/[^\p{L}\p{N}_-]+/gu, '_')}.csv`;
  document.body.append(link);
  link.click();
  link.remove();
  URL.revokeObjectURL(url);
}
