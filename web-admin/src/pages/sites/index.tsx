// /sites/:id: one site — details, sub-sites, scanners; edit, create a
// sub-site, move under another parent, toggle built and enabled (seed 003
// annex 2: 建设情况, 是否启用), print the site code poster (?poster=1).
// /sites/new?parent=<region or site id>: create a site there.
import { useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { App, Breadcrumb, Button, Card, Empty, List, Modal, Space, Switch, Tag, Typography } from 'antd';
import { DragOutlined, EditOutlined, EnvironmentOutlined, PlusOutlined, QrcodeOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../../gql';
import type { SiteDetailsFragment } from '../../gql/graphql';
import { enumLabel } from '../../i18n';
import { errorText } from '../../errors';
import { useAccess } from '../../useAccess';
import ErrorAlert from '../../components/ErrorAlert';
import SiteDetails, { SiteScanners } from './SiteDetails';
import SiteForm, { siteInput, type SiteFormValues } from './SiteForm';
import MoveDialog from './MoveDialog';
import Poster from './Poster';
import './locale';

const SitePageDocument = graphql(`
  query SitePage($id: ID!) {
    node(id: $id) {
      ... on Site {
        ...SiteDetails
        children(first: 100, orderBy: [{ field: NAME }]) {
          totalCount
          edges {
            node {
              id
              name
              category
              enabled
              built
            }
          }
        }
      }
    }
  }
`);

const ParentDocument = graphql(`
  query NewSiteParent($id: ID!) {
    node(id: $id) {
      __typename
      ... on Region {
        id
        code
        name
      }
      ... on Site {
        id
        name
        region {
          code
        }
      }
    }
  }
`);

const CreateSiteDocument = graphql(`
  mutation CreateSite($input: CreateSiteInput!) {
    createSite(input: $input) {
      id
      name
    }
  }
`);

const UpdateSiteDocument = graphql(`
  mutation UpdateSite($id: ID!, $input: UpdateSiteInput!) {
    updateSite(id: $id, input: $input) {
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
      selfScanNeedsTemperature
    }
  }
`);

const SetSiteStatusDocument = graphql(`
  mutation SetSiteStatus($id: ID!, $built: Boolean, $enabled: Boolean) {
    setSiteStatus(id: $id, built: $built, enabled: $enabled) {
      id
      built
      enabled
    }
  }
`);

function NewSite() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const [params] = useSearchParams();
  const parentId = params.get('parent') ?? '';
  const [{ data, error }] = useQuery({ query: ParentDocument, variables: { id: parentId }, pause: !parentId });
  const [{ fetching, error: createError }, create] = useMutation(CreateSiteDocument);
  const parent = data?.node && 'name' in data.node ? data.node : null;
  const back = () => {
    if (parent && 'code' in parent) navigate(`/tree/${parent.code}`);
    else if (parent) navigate(`/sites/${parent.id}`);
    else navigate('/tree');
  };
  const onSubmit = async (v: SiteFormValues) => {
    const r = await create({ input: { ...siteInput(v), built: v.built, enabled: v.enabled, parentId } });
    if (r.data?.createSite) {
      message.success(t('sitePage.created', { name: r.data.createSite.name }));
      navigate(`/sites/${r.data.createSite.id}`, { replace: true });
    }
  };
  return (
    <Card title={t('sitePage.newTitle')} style={{ maxWidth: 880, margin: '0 auto' }}>
      <ErrorAlert error={error ?? createError} />
      {parent && <Typography.Paragraph strong>{t('sitePage.newUnder', { name: parent.name })}</Typography.Paragraph>}
      <SiteForm mode="create" submitting={fetching} onSubmit={onSubmit} onCancel={back} />
    </Card>
  );
}

function Crumbs({ site }: { site: SiteDetailsFragment }) {
  type Up = { id: string; name: string; parent?: Up | null };
  const chain: Up[] = [];
  for (let p: Up | null | undefined = site.parent; p; p = p.parent) chain.unshift(p);
  const items = [
    ...[...site.region.ancestors, site.region].map((a) => ({ title: <Link to={`/tree/${a.code}`}>{a.name}</Link> })),
    ...chain.map((s) => ({ title: <Link to={`/sites/${s.id}`}>{s.name}</Link> })),
    { title: site.name },
  ];
  return <Breadcrumb items={items} data-testid="breadcrumbs" />;
}

function SiteView({ id }: { id: string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const access = useAccess();
  const [params, setParams] = useSearchParams();
  const [{ data, error, fetching }, reexecute] = useQuery({ query: SitePageDocument, variables: { id } });
  const [editing, setEditing] = useState(false);
  const [moving, setMoving] = useState(false);
  const [{ fetching: saving, error: saveError }, update] = useMutation(UpdateSiteDocument);
  const [, setStatus] = useMutation(SetSiteStatusDocument);
  const node = data?.node && 'category' in data.node ? data.node : null;
  if (!node) return error ? <ErrorAlert error={error} /> : fetching ? null : <Empty />;
  const site = node as SiteDetailsFragment;

  if (params.get('poster')) return <Poster siteId={site.id} siteName={site.name} onBack={() => setParams({})} />;

  const toggle = async (field: 'built' | 'enabled', value: boolean) => {
    const r = await setStatus({ id: site.id, [field]: value });
    if (r.error) message.error(errorText(r.error));
    else message.success(t('sitePage.statusChanged'));
  };
  const onSave = async (v: SiteFormValues) => {
    const r = await update({ id: site.id, input: { ...siteInput(v), selfScanNeedsTemperature: v.selfScanNeedsTemperature } });
    if (r.data?.updateSite) {
      message.success(t('sitePage.saved'));
      setEditing(false);
    }
  };
  const children = node.children.edges?.map((e) => e!.node!) ?? [];

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Crumbs site={site} />
      <Card
        size="small"
        title={
          <Space>
            <EnvironmentOutlined />
            <span data-testid="site-title">{site.name}</span>
          </Space>
        }
        extra={
          <Space wrap>
            {access.siteUpdate && (
              <Button icon={<EditOutlined />} onClick={() => setEditing(true)}>
                {t('common.edit')}
              </Button>
            )}
            {access.siteCreate && (
              <Button icon={<PlusOutlined />} onClick={() => navigate(`/sites/new?parent=${site.id}`)}>
                {t('sitePage.newSubSite')}
              </Button>
            )}
            {access.siteUpdate && (
              <Button icon={<DragOutlined />} onClick={() => setMoving(true)}>
                {t('sitePage.move')}
              </Button>
            )}
            <Button icon={<QrcodeOutlined />} onClick={() => setParams({ poster: '1' })}>
              {t('sitePage.poster')}
            </Button>
          </Space>
        }
      >
        {access.siteUpdate && (
          <Space size="large" style={{ marginBottom: 16 }} wrap>
            <span>
              {t('site.built')}{' '}
              <Switch checked={site.built} onChange={(v) => void toggle('built', v)} aria-label={t('site.built')} data-testid="toggle-built" />
            </span>
            <span>
              {t('site.enabled')}{' '}
              <Switch checked={site.enabled} onChange={(v) => void toggle('enabled', v)} aria-label={t('site.enabled')} data-testid="toggle-enabled" />
            </span>
          </Space>
        )}
        <SiteDetails site={site} />
      </Card>
      <Card size="small" title={`${t('sitePage.subSites')} (${node.children.totalCount})`}>
        {children.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('sitePage.noSubSites')} />
        ) : (
          <List
            size="small"
            data-testid="sub-sites"
            dataSource={children}
            renderItem={(c) => (
              <List.Item>
                <Space wrap>
                  <Link to={`/sites/${c.id}`}>{c.name}</Link>
                  <Typography.Text type="secondary">{enumLabel('SiteCategory', c.category)}</Typography.Text>
                  {!c.enabled && <Tag color="orange">{t('site.enabledNo')}</Tag>}
                </Space>
              </List.Item>
            )}
          />
        )}
      </Card>
      <Card size="small" title={t('site.scanners')}>
        <SiteScanners siteId={site.id} />
      </Card>
      <Modal open={editing} title={t('sitePage.editTitle')} footer={null} onCancel={() => setEditing(false)} width={760} destroyOnClose>
        <ErrorAlert error={saveError} />
        <SiteForm
          mode="edit"
          initial={{
            name: site.name,
            category: site.category,
            sector: site.sector,
            address: site.address,
            latitude: site.latitude,
            longitude: site.longitude,
            geofenceRadius: site.geofenceRadius,
            selfScanNeedsTemperature: site.selfScanNeedsTemperature,
          }}
          submitting={saving}
          onSubmit={onSave}
          onCancel={() => setEditing(false)}
        />
      </Modal>
      <MoveDialog
        siteId={site.id}
        open={moving}
        onClose={(moved) => {
          setMoving(false);
          if (moved) reexecute({ requestPolicy: 'network-only' });
        }}
      />
    </Space>
  );
}

export default function SitePage() {
  const { id } = useParams();
  return id ? <SiteView id={id} /> : <NewSite />;
}
