// The site code poster (场所码): a signed site code (issueSiteCode, valid a
// day) drawn as a QR code in the browser (the qrcode package: no request
// leaves the server), with the site's name and instructions, on a page
// laid out for printing (A4; the app's header and buttons are not printed).
import { useEffect, useState } from 'react';
import { Alert, Button, Space, Spin, Typography } from 'antd';
import { PrinterOutlined, ArrowLeftOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useMutation } from 'urql';
import QRCode from 'qrcode';
import dayjs from 'dayjs';
import { graphql } from '../../gql';
import { errorText } from '../../errors';
import './locale';
import './print.css';

const IssueSiteCodeDocument = graphql(`
  mutation IssueSiteCode($site: ID!) {
    issueSiteCode(site: $site, ttlMinutes: 1440) {
      token
      expiresAt
    }
  }
`);

export default function Poster({ siteId, siteName, onBack }: { siteId: string; siteName: string; onBack(): void }) {
  const { t } = useTranslation();
  const [{ data, error }, issue] = useMutation(IssueSiteCodeDocument);
  const [qr, setQr] = useState<string>();
  useEffect(() => {
    void issue({ site: siteId });
  }, [issue, siteId]);
  const token = data?.issueSiteCode.token;
  useEffect(() => {
    if (!token) return;
    void QRCode.toDataURL(token, { errorCorrectionLevel: 'M', margin: 2, width: 560 }).then(setQr);
  }, [token]);

  return (
    <div>
      <Space className="no-print" style={{ marginBottom: 16 }}>
        <Button icon={<ArrowLeftOutlined />} onClick={onBack}>
          {t('sitePage.posterBack')}
        </Button>
        <Button type="primary" icon={<PrinterOutlined />} disabled={!qr} onClick={() => window.print()}>
          {t('common.print')}
        </Button>
      </Space>
      {error && <Alert className="no-print" type="error" showIcon message={errorText(error)} />}
      <div className="site-poster" data-testid="site-poster">
        <Typography.Title level={2} style={{ marginBottom: 4 }}>
          {t('sitePage.posterTitle')}
        </Typography.Title>
        <Typography.Title level={3} style={{ marginTop: 0 }}>
          {siteName}
        </Typography.Title>
        {qr ? <img src={qr} alt={t('sitePage.posterTitle')} className="site-poster-qr" /> : !error && <Spin />}
        <p className="site-poster-text">{t('sitePage.posterInstructions1')}</p>
        <p className="site-poster-text">{t('sitePage.posterInstructions2')}</p>
        {data && (
          <Typography.Text type="secondary">
            {t('sitePage.posterValidUntil', { time: dayjs(data.issueSiteCode.expiresAt).format('YYYY-MM-DD HH:mm') })}
          </Typography.Text>
        )}
        <div style={{ marginTop: 8 }}>
          <Typography.Text type="secondary">{t('sitePage.posterIssuedBy')}</Typography.Text>
        </div>
      </div>
    </div>
  );
}
