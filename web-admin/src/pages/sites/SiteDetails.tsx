// A site's details (shown in /tree and on /sites/:id): category by its
// Chinese label with the MANDATORY/ENCOURAGED policy (seed 004 annex),
// address, the coordinates as plain numbers (no map tiles: no request
// leaves the server), geofence, built/enabled (seed 003 annex 2), unit and
// the scanners whose scope is this site.
import { Descriptions, Empty, List, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useQuery } from 'urql';
import { graphql } from '../../gql';
import type { SiteDetailsFragment } from '../../gql/graphql';
import { enumLabel } from '../../i18n';
import ErrorAlert from '../../components/ErrorAlert';

graphql(`
  fragment SiteDetails on Site {
    id
    name
    category
    verificationPolicy
    isVehicle
    sector
    address
    latitude
    longitude
    geofenceRadius
    built
    enabled
    selfScanNeedsTemperature
    unit {
      id
      name
    }
    region {
      id
      code
      name
      ancestors {
        id
        code
        name
      }
    }
    parent {
      id
      name
      parent {
        id
        name
        parent {
          id
          name
        }
      }
    }
  }
`);

// The server offers no filter by scope site (hasScopeSiteWith would test
// rows outside the caller's scope), so the scanner accounts in the
// caller's view are read and those of this site kept: complete for a
// site manager, the first 500 scanners of the scope for the INITIATOR.
const SiteScannersDocument = graphql(`
  query SiteScanners {
    accounts(first: 500, where: { roleIn: [SENIOR, INTERMEDIATE, ORDINARY] }, orderBy: [{ field: ROLE }]) {
      edges {
        node {
          id
          scopeSite {
            id
          }
          role
          status
          disabledReason
          lastActiveAt
          holder {
            id
            name
            phoneMasked
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

/** 43.876543, 125.321234 — six decimals, about 10 cm. */
export function coordinates(lat?: number | null, lng?: number | null): string | null {
  if (lat == null || lng == null) return null;
  return `${lat.toFixed(6)}, ${lng.toFixed(6)}`;
}

export function SiteScanners({ siteId }: { siteId: string }) {
  const { t } = useTranslation();
  const [{ data, error }] = useQuery({ query: SiteScannersDocument, requestPolicy: 'cache-and-network' });
  if (error) return <ErrorAlert error={error} />;
  const list = data?.accounts.edges?.map((e) => e!.node!).filter((a) => a.scopeSite?.id === siteId) ?? [];
  if (data && list.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('site.noScanners')} />;
  return (
    <List
      size="small"
      data-testid="site-scanners"
      dataSource={list}
      renderItem={(a) => (
        <List.Item>
          <Space wrap>
            <Tag color="blue">{enumLabel('AccountRole', a.role)}</Tag>
            <span>{a.holder?.name ?? '—'}</span>
            <Typography.Text type="secondary">{a.holder?.phoneMasked}</Typography.Text>
            <Tag color={a.status === 'ACTIVE' ? 'green' : 'red'}>{enumLabel('AccountStatus', a.status)}</Tag>
            {a.disabledReason && <Tag>{enumLabel('AccountDisabledReason', a.disabledReason)}</Tag>}
          </Space>
        </List.Item>
      )}
    />
  );
}

export default function SiteDetails({ site }: { site: SiteDetailsFragment }) {
  const { t } = useTranslation();
  const coord = coordinates(site.latitude, site.longitude);
  return (
    <Descriptions column={{ xs: 1, sm: 1, md: 2 }} bordered size="small" data-testid="site-details">
      <Descriptions.Item label={t('site.name')} span={2}>
        {site.name}
      </Descriptions.Item>
      <Descriptions.Item label={t('site.category')}>{enumLabel('SiteCategory', site.category)}</Descriptions.Item>
      <Descriptions.Item label={t('site.policy')}>
        <Tag color={site.verificationPolicy === 'MANDATORY' ? 'red' : 'gold'}>{enumLabel('VerificationPolicy', site.verificationPolicy)}</Tag>
      </Descriptions.Item>
      <Descriptions.Item label={t('site.sector')}>{enumLabel('Sector', site.sector)}</Descriptions.Item>
      <Descriptions.Item label={t('site.unit')}>{site.unit?.name ?? t('common.none')}</Descriptions.Item>
      <Descriptions.Item label={t('site.address')} span={2}>
        {site.address || t('common.none')}
      </Descriptions.Item>
      <Descriptions.Item label={t('site.coordinates')}>
        {coord ? <Typography.Text copyable>{coord}</Typography.Text> : t('site.noCoordinates')}
      </Descriptions.Item>
      <Descriptions.Item label={t('site.geofenceRadius')}>
        {site.isVehicle ? t('site.vehicle') : site.geofenceRadius > 0 ? site.geofenceRadius : t('site.noGeofence')}
      </Descriptions.Item>
      <Descriptions.Item label={t('site.built')}>
        <Tag color={site.built ? 'green' : 'default'}>{site.built ? t('site.builtYes') : t('site.builtNo')}</Tag>
      </Descriptions.Item>
      <Descriptions.Item label={t('site.enabled')}>
        <Tag color={site.enabled ? 'green' : 'orange'}>{site.enabled ? t('site.enabledYes') : t('site.enabledNo')}</Tag>
      </Descriptions.Item>
      <Descriptions.Item label={t('site.region')}>
        {[...site.region.ancestors.map((a) => a.name), site.region.name].join(' / ')}
      </Descriptions.Item>
      <Descriptions.Item label={t('site.parent')}>{site.parent?.name ?? t('common.none')}</Descriptions.Item>
    </Descriptions>
  );
}
