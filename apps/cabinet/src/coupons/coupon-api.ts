// Coupon series (C6) over REST: the series paged and searched by the server, issuing a series
// (unique codes or one shared code), the codes of a series by state, blocking a code or a whole
// series, issuing a code to a named buyer and a buyer's codes, the redemptions per receipt, and
// the XLSX exports of the series, codes and redemptions.
import { z } from 'zod';
import { pageOf } from '@loyalty/protocol/api/common.schema';
import {
  buyerCouponSchema,
  couponBlockResultSchema,
  couponCodeSchema,
  couponRedemptionSchema,
  couponSeriesSchema,
  type couponCodeListQuerySchema,
  type couponSeriesCreateSchema,
} from '@loyalty/protocol/api/programme.schema';
import { api, download, withQuery } from '#api/http-client.ts';

export type CouponSeries = z.output<typeof couponSeriesSchema>;
export type CouponCode = z.output<typeof couponCodeSchema>;
export type CouponRedemption = z.output<typeof couponRedemptionSchema>;
export type BuyerCoupon = z.output<typeof buyerCouponSchema>;
export type CouponSeriesCreate = z.input<typeof couponSeriesCreateSchema>;
export type CodeFilter = Pick<z.input<typeof couponCodeListQuerySchema>, 'search' | 'state'>;

const seriesPageSchema = pageOf(couponSeriesSchema);
const codePageSchema = pageOf(couponCodeSchema);
const redemptionPageSchema = pageOf(couponRedemptionSchema);

export const fetchCouponSeries = (query: { search?: string; page: number; pageSize: number }) =>
  api(seriesPageSchema, 'GET', withQuery('/coupon-series', query));

export const createCouponSeries = (body: CouponSeriesCreate) =>
  api(couponSeriesSchema, 'POST', '/coupon-series', body);

export const fetchCouponCodes = (seriesId: string, filter: CodeFilter, page: number, pageSize: number) =>
  api(codePageSchema, 'GET', withQuery(`/coupon-series/${seriesId}/codes`, { ...filter, page, pageSize }));

export const fetchRedemptions = (seriesId: string, page: number, pageSize: number) =>
  api(redemptionPageSchema, 'GET', withQuery(`/coupon-series/${seriesId}/redemptions`, { page, pageSize }));

export const blockCode = (seriesId: string, code: string, blocked: boolean) =>
  api(couponCodeSchema, 'PUT', `/coupon-series/${seriesId}/codes/${encodeURIComponent(code)}/blocked`, {
    blocked,
  });

/** Issues a code of the series to the buyer: the first free one, or the one the buyer already holds. */
export const issueCoupon = (seriesId: string, buyerId: string) =>
  api(couponCodeSchema, 'POST', `/coupon-series/${seriesId}/issue`, { buyerId });

/** The codes issued to a buyer, with their series. */
export const fetchBuyerCoupons = (buyerId: string) =>
  api(z.array(buyerCouponSchema), 'GET', `/buyers/${buyerId}/coupons`);

export const blockSeries = (seriesId: string, blocked: boolean) =>
  api(couponBlockResultSchema, 'PUT', `/coupon-series/${seriesId}/blocked`, { blocked });

/** The codes of a series with the codes table's filter, as the server's XLSX. */
export const exportCouponCodes = (seriesId: string, filter: CodeFilter = {}) =>
  download(withQuery('/exports/coupon-codes.xlsx', { seriesId, ...filter }));

/** The redemptions of a series, as the server's XLSX. */
export const exportRedemptions = (seriesId: string) =>
  download(withQuery('/exports/coupon-redemptions.xlsx', { seriesId }));

/** The series list with its search, as the server's XLSX. */
export const exportSeries = (search?: string) =>
  download(withQuery('/exports/coupon-series.xlsx', { search }));
