// Move a site (with its sub-sites) under another region or site chosen in
// the tree (moveSite). The site itself and its own subtree cannot be chosen.
import { useState } from 'react';
import { App, Modal, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useMutation } from 'urql';
import { graphql } from '../../gql';
import { errorText } from '../../errors';
import JurisdictionTree, { siteKey, type TreeItem } from '../tree/JurisdictionTree';
import './locale';

const MoveSiteDocument = graphql(`
  mutation MoveSite($id: ID!, $parentId: ID!) {
    moveSite(id: $id, parentId: $parentId) {
      id
    }
  }
`);

export default function MoveDialog({ siteId, open, onClose }: { siteId: string; open: boolean; onClose(moved: boolean): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [target, setTarget] = useState<TreeItem | null>(null);
  const [{ fetching }, move] = useMutation(MoveSiteDocument);
  const onOk = async () => {
    if (!target || target.kind === 'more') return;
    const r = await move({ id: siteId, parentId: target.id });
    if (r.error) {
      message.error(errorText(r.error));
      return;
    }
    message.success(t('sitePage.moved'));
    onClose(true);
  };
  return (
    <Modal
      open={open}
      title={t('sitePage.moveTitle')}
      onCancel={() => onClose(false)}
      onOk={onOk}
      okButtonProps={{ disabled: !target, loading: fetching }}
      width={640}
      destroyOnClose
    >
      <Typography.Paragraph type="secondary">{t('sitePage.moveHint')}</Typography.Paragraph>
      {target && target.kind !== 'more' && <Typography.Paragraph strong>{t('sitePage.moveTo', { name: target.name })}</Typography.Paragraph>}
      <JurisdictionTree
        height={420}
        selected={target?.key}
        onSelect={setTarget}
        selectable={(i) => i.key !== siteKey(siteId)}
      />
    </Modal>
  );
}
