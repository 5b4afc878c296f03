// Creating a site (under a region or a site: sub-sites, seed 001 §6) and
// editing one. Categories are shown by their Chinese labels with their
// verification policy (seed 004 annex).
import { Button, Checkbox, Col, Form, Input, InputNumber, Row, Select, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { useQuery } from 'urql';
import { graphql } from '../../gql';
import type { SiteCategory, Sector } from '../../gql/graphql';
import { enumLabel } from '../../i18n';
import zhCN from '../../i18n/zh-CN';
import './locale';

const SiteCategoriesDocument = graphql(`
  query SiteCategories {
    siteCategories {
      category
      policy
      isVehicle
    }
  }
`);

export interface SiteFormValues {
  name: string;
  category: SiteCategory;
  sector?: Sector | null;
  address?: string;
  latitude?: number | null;
  longitude?: number | null;
  geofenceRadius?: number | null;
  built?: boolean;
  enabled?: boolean;
  selfScanNeedsTemperature?: boolean;
}

interface Props {
  mode: 'create' | 'edit';
  initial?: Partial<SiteFormValues>;
  submitting: boolean;
  onSubmit(v: SiteFormValues): void;
  onCancel(): void;
}

export default function SiteForm({ mode, initial, submitting, onSubmit, onCancel }: Props) {
  const { t } = useTranslation();
  const [{ data }] = useQuery({ query: SiteCategoriesDocument });
  const categories = data?.siteCategories ?? [];
  const [form] = Form.useForm<SiteFormValues>();
  const category = Form.useWatch('category', form);
  const vehicle = categories.find((c) => c.category === category)?.isVehicle ?? false;

  return (
    <Form<SiteFormValues>
      form={form}
      layout="vertical"
      initialValues={{ built: true, enabled: true, geofenceRadius: 0, ...initial }}
      onFinish={onSubmit}
      data-testid="site-form"
    >
      <Form.Item name="name" label={t('site.name')} rules={[{ required: true, whitespace: true, message: t('sitePage.nameRequired') }]}>
        <Input maxLength={100} />
      </Form.Item>
      <Row gutter={16}>
        <Col xs={24} md={12}>
          <Form.Item name="category" label={t('site.category')} rules={[{ required: true, message: t('sitePage.categoryRequired') }]}>
            <Select
              showSearch
              optionFilterProp="label"
              aria-label={t('site.category')}
              options={categories.map((c) => ({
                value: c.category,
                label: `${enumLabel('SiteCategory', c.category)}（${enumLabel('VerificationPolicy', c.policy)}）`,
              }))}
            />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name="sector" label={t('site.sector')}>
            <Select
              allowClear
              aria-label={t('site.sector')}
              options={Object.keys(zhCN.enum.Sector).map((s) => ({ value: s, label: enumLabel('Sector', s) }))}
            />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="address" label={t('site.address')}>
        <Input maxLength={200} />
      </Form.Item>
      <Row gutter={16}>
        <Col xs={12} md={8}>
          <Form.Item name="latitude" label={t('site.latitude')} tooltip={t('sitePage.coordinatesHint')}>
            <InputNumber min={-90} max={90} step={0.000001} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col xs={12} md={8}>
          <Form.Item name="longitude" label={t('site.longitude')} tooltip={t('sitePage.coordinatesHint')}>
            <InputNumber min={-180} max={180} step={0.000001} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col xs={24} md={8}>
          <Form.Item name="geofenceRadius" label={t('site.geofenceRadius')}>
            <InputNumber min={0} max={100000} disabled={vehicle} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
      </Row>
      <Space wrap size="large">
        {mode === 'create' && (
          <>
            <Form.Item name="built" valuePropName="checked" noStyle>
              <Checkbox>{t('site.builtYes')}</Checkbox>
            </Form.Item>
            <Form.Item name="enabled" valuePropName="checked" noStyle>
              <Checkbox>{t('site.enabledYes')}</Checkbox>
            </Form.Item>
          </>
        )}
        {mode === 'edit' && (
          <Form.Item name="selfScanNeedsTemperature" valuePropName="checked" noStyle>
            <Checkbox>{t('sitePage.selfScanNeedsTemperature')}</Checkbox>
          </Form.Item>
        )}
      </Space>
      <Space style={{ marginTop: 24, display: 'flex', justifyContent: 'flex-end' }}>
        <Button onClick={onCancel}>{t('common.cancel')}</Button>
        <Button type="primary" htmlType="submit" loading={submitting}>
          {mode === 'create' ? t('common.create') : t('common.save')}
        </Button>
      </Space>
    </Form>
  );
}

/** Only the fields the form has, with empty strings as absent. */
export function siteInput(v: SiteFormValues) {
  return {
    name: v.name.trim(),
    category: v.category,
    sector: v.sector ?? null,
    address: v.address?.trim() ?? '',
    latitude: v.latitude ?? null,
    longitude: v.longitude ?? null,
    geofenceRadius: v.geofenceRadius ?? 0,
  };
}

