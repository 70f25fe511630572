// The Russian sentence a cashier reads next to a refused coupon (C6, A5): what is wrong and what
// to do. Made where the reason is decided, from the series and the promotion's own refusal, so
// the till, the REST answer and the stored calculation all say the same thing. Dates are the
// series' instants shown in the merchant's zone: no clock here.
import type { CouponSeries } from '#rules/snapshot.schema.ts';
import { localParts, type Instant } from '#time/zoned-time.ts';
import { CouponReason, type PromotionReason } from './reason-codes.ts';

/** What the sentence may quote: the series (dates, limits) and why its promotion did not apply. */
export type CouponRefusalFacts = {
  readonly reason: CouponReason;
  readonly timeZone: string;
  readonly series?: Pick<CouponSeries, 'from' | 'to' | 'maxUsesPerCode' | 'maxUsesPerBuyer'>;
  readonly promotionReason?: PromotionReason | null;
};

const two = (n: number): string => String(n).padStart(2, '0');

/** 01.12.2026, or 01.12.2026 в 18:00 when the moment is not a local midnight. */
function localMoment(instant: Instant, timeZone: string): string {
  const p = localParts(instant, timeZone);
  const date = `${two(p.day)}.${two(p.month)}.${p.year}`;
  return p.minuteOfDay === 0 ? date : `${date} в ${two(p.hour)}:${two(p.minute)}`;
}

/** Why the coupon's promotion did not apply, as the end of a sentence. */
const PROMOTION_CONDITION: Partial<Record<PromotionReason, string>> = {
  not_started: 'акция купона ещё не началась',
  ended: 'акция купона закончилась',
  wrong_day: 'акция купона не действует в этот день недели',
  outside_hours: 'акция купона не действует в это время',
  store_not_targeted: 'акция купона не действует в этом магазине',
  store_attributes_mismatch: 'акция купона не действует в этом магазине',
  card_required: 'акция купона только для покупателей программы: найдите покупателя',
  card_type_not_targeted: 'акция купона не для типа карты этого покупателя',
  segment_not_targeted: 'акция купона не для этого покупателя',
  buyer_not_targeted: 'акция купона не для этого покупателя',
  balance_out_of_range: 'баланс покупателя не подходит под условия акции',
  receipt_below_minimum: 'сумма чека меньше минимальной для акции',
  required_items_missing: 'в чеке нет товаров, нужных для акции',
  threshold_not_reached: 'в чеке не набран порог акции',
  not_enough_items: 'в чеке мало товаров для акции',
  excluded_product: 'товары чека исключены из акции',
  excluded_category: 'товары чека исключены из акции',
  line_no_discount: 'на товары чека скидки не действуют',
  limit_reached: 'лимит акции исчерпан',
  exclusivity_group_lost: 'в чеке уже действует более выгодная акция, которая с ней не совмещается',
  non_stackable_conflict: 'в чеке уже действует акция, которая с ней не совмещается',
  min_price_reached: 'цены товаров уже на минимуме',
};

/** The sentence for one refused coupon. */
export function couponRefusalMessage(facts: CouponRefusalFacts): string {
  const { series, timeZone } = facts;
  switch (facts.reason) {
    case CouponReason.unknownCode:
      return 'Купон с таким кодом не найден: проверьте код или уберите купон из чека';
    case CouponReason.notYetValid:
      return series?.from != null
        ? `Купон ещё не действует: начнёт действовать ${localMoment(series.from, timeZone)}`
        : 'Купон ещё не действует: примените его в срок его действия';
    case CouponReason.expired:
      return series?.to != null
        ? `Срок действия купона истёк ${localMoment(series.to, timeZone)}: уберите купон из чека`
        : 'Срок действия купона истёк: уберите купон из чека';
    case CouponReason.alreadyUsed:
      return 'Купон уже использован: одноразовый купон применяется один раз, уберите его из чека';
    case CouponReason.usageLimitReached:
      return series?.maxUsesPerCode != null
        ? `Купон уже применён наибольшее число раз (${series.maxUsesPerCode}): уберите его из чека`
        : 'Купон уже применён наибольшее число раз: уберите его из чека';
    case CouponReason.buyerLimitReached:
      return series?.maxUsesPerBuyer != null
        ? `Покупатель уже применил купоны этой серии наибольшее число раз (${series.maxUsesPerBuyer}): уберите купон из чека`
        : 'Покупатель уже применил купоны этой серии наибольшее число раз: уберите купон из чека';
    case CouponReason.issuedToAnotherBuyer:
      return 'Купон выдан другому покупателю: его может применить только владелец';
    case CouponReason.blocked:
      return 'Купон заблокирован: применить его нельзя, уберите его из чека';
    case CouponReason.duplicateInReceipt:
      return 'Купон этой серии уже есть в чеке: в одном чеке действует один купон серии';
    case CouponReason.buyerRequired:
      return 'Купон только для покупателя программы: сначала найдите покупателя по телефону, карте или QR';
    case CouponReason.promotionNotApplied: {
      const condition = facts.promotionReason ? PROMOTION_CONDITION[facts.promotionReason] : undefined;
      return condition
        ? `Купон действителен, но скидки не дал: ${condition}`
        : 'Купон действителен, но скидки не дал: условия его акции в этом чеке не выполнены';
    }
  }
}
