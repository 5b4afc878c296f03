// An enum value by its label in the UI language (医疗机构, not MEDICAL_INSTITUTION).
import { Tag } from 'antd';
import { enumLabel } from '../i18n';
import type zhCN from '../i18n/zh-CN';

export default function EnumTag({ of, value, color }: { of: keyof typeof zhCN.enum; value: string | null | undefined; color?: string }) {
  if (!value) return null;
  return <Tag color={color}>{enumLabel(of, value)}</Tag>;
}
