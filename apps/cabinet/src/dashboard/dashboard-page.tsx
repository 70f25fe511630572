// Dashboard (G1): revenue, receipts, average check, share of receipts with a card, new buyers,
// points, for a chosen period of the merchant's days, with charts by day.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Card, Col, DatePicker, Row, Space, Statistic, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { salesSummarySchema } from '@loyalty/protocol/api/reports.schema';
import { api, withQuery } from '#api/http-client.ts';
import { useSession } from '#auth/session-context.tsx';
import { todayIn } from '#format/formatters.ts';
import { EChart, type ChartOption } from './echart.tsx';

const DAY = 'YYYY-MM-DD';

/** The dashboard page. */
export function DashboardPage() {
  const { t } = useTranslation();
  const { format, session } = useSession();
  // The last 30 of the merchant's days, whatever the browser's own time zone.
  const [period, setPeriod] = useState<[Dayjs, Dayjs]>(() => {
    const today = dayjs(todayIn(session.merchant.timeZone));
    return [today.subtract(29, 'day'), today];
  });
  const from = period[0].format(DAY);
  const to = period[1].format(DAY);
  const summary = useQuery({
    queryKey: ['sales-summary', from, to],
    queryFn: () => api(salesSummarySchema, 'GET', withQuery('/reports/sales-summary', { from, to })),
    placeholderData: keepPreviousData,
  });
  const totals = summary.data?.totals;
  const days = useMemo(() => summary.data?.days ?? [], [summary.data]);

  const revenueOption = useMemo<ChartOption>(
    () => ({
      tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => format.money(Number(v) * 100) },
      grid: { left: 70, right: 20, top: 20, bottom: 30 },
      xAxis: { type: 'category', data: days.map((d) => format.date(d.date)) },
      yAxis: { type: 'value' },
      series: [
        {
          type: 'line',
          name: t('dashboard.revenue'),
          smooth: true,
          areaStyle: {},
          data: days.map((d) => d.revenue / 100),
        },
      ],
    }),
    [days, format, t],
  );
  const receiptsOption = useMemo<ChartOption>(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 50, right: 20, top: 40, bottom: 30 },
      xAxis: { type: 'category', data: days.map((d) => format.date(d.date)) },
      yAxis: { type: 'value' },
      series: [
        { type: 'bar', name: t('dashboard.receipts'), data: days.map((d) => d.receipts) },
        { type: 'bar', name: t('dashboard.loyaltyReceipts'), data: days.map((d) => d.loyaltyReceipts) },
        { type: 'line', name: t('dashboard.newBuyers'), data: days.map((d) => d.newBuyers) },
      ],
    }),
    [days, format, t],
  );

  const share =
    totals && totals.receipts > 0 ? Math.round((totals.loyaltyReceipts * 10_000) / totals.receipts) : null;
  const figures: [string, string][] = [
    ['dashboard.revenue', format.money(totals?.revenue)],
    ['dashboard.receipts', format.count(totals?.receipts)],
    ['dashboard.averageCheck', format.money(totals?.averageCheck)],
    ['dashboard.loyaltyShare', format.percent(share)],
    ['dashboard.newBuyers', format.count(totals?.newBuyers)],
    ['dashboard.pointsAccrued', format.points(totals?.pointsAccrued)],
    ['dashboard.pointsSpent', format.points(totals?.pointsSpent)],
  ];

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Space style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('dashboard.title')}
        </Typography.Title>
        <DatePicker.RangePicker
          value={period}
          allowClear={false}
          onChange={(value) => {
            if (value?.[0] && value[1]) setPeriod([value[0], value[1]]);
          }}
        />
      </Space>
      <Row gutter={[16, 16]} data-testid="dashboard-figures">
        {figures.map(([key, value]) => (
          <Col key={key} xs={12} md={8} xl={6} xxl={3}>
            <Card size="small" loading={summary.isPending}>
              <Statistic title={t(key)} value={value} />
            </Card>
          </Col>
        ))}
      </Row>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={12}>
          <Card title={t('dashboard.revenueByDay')} size="small">
            <EChart option={revenueOption} testId="revenue-chart" />
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card title={t('dashboard.receiptsByDay')} size="small">
            <EChart option={receiptsOption} />
          </Card>
        </Col>
      </Row>
    </Space>
  );
}
