// A person's identity as the door records it (ManualPersonInput): name,
// document type and number, phone. A resident ID number is checked here
// (GB 11643: region, birth date, check character) before the scan is
// queued, so a typing error is fixed while the person is still there.
import { Input, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import type { PersonIdType } from '../../gql/graphql';
import { residentIdProblem } from './idnumber';

export interface Identity {
  name: string;
  idType: PersonIdType;
  idNumber: string;
  phone: string;
}

export const emptyIdentity: Identity = { name: '', idType: 'RESIDENT_ID', idNumber: '', phone: '' };

const idTypes: PersonIdType[] = ['RESIDENT_ID', 'PASSPORT', 'HK_MACAO_PERMIT', 'TAIWAN_PERMIT', 'FOREIGN_PERMANENT_RESIDENT', 'OTHER'];

/** The problems of each field (i18n keys), empty when the identity can be sent. */
export function identityProblems(id: Identity): Partial<Record<keyof Identity, string>> {
  const p: Partial<Record<keyof Identity, string>> = {};
  if (!id.name.trim()) p.name = 'station.required';
  if (!id.idNumber.trim()) p.idNumber = 'station.required';
  else if (id.idType === 'RESIDENT_ID') {
    const why = residentIdProblem(id.idNumber);
    if (why) p.idNumber = `station.idProblems.${why}`;
  }
  if (id.phone.trim() && !/^1[3-9]\d{9}$/.test(id.phone.replace(/[\s-]/g, '').replace(/^(\+86|0086)/, ''))) p.phone = 'station.phoneInvalid';
  return p;
}

export default function IdentityFields({ value, onChange, touched }: { value: Identity; onChange: (v: Identity) => void; touched: boolean }) {
  const { t } = useTranslation();
  const problems = identityProblems(value);
  const set = (k: keyof Identity) => (v: string) => onChange({ ...value, [k]: v });
  const err = (k: keyof Identity) =>
    (touched || (k !== 'name' && value[k])) && problems[k] ? (
      <div style={{ color: '#cf1322', fontSize: 14 }} data-testid={`station-${k}-error`}>
        {t(problems[k]!)}
      </div>
    ) : null;
  const row = { marginBottom: 12 } as const;
  return (
    <div>
      <div style={row}>
        <label htmlFor="station-name">{t('station.name')}</label>
        <Input id="station-name" size="large" value={value.name} onChange={(e) => set('name')(e.target.value)} autoComplete="off" />
        {err('name')}
      </div>
      <div style={row}>
        <label htmlFor="station-idtype">{t('station.idType')}</label>
        <Select
          id="station-idtype"
          size="large"
          style={{ width: '100%' }}
          value={value.idType}
          onChange={(v) => onChange({ ...value, idType: v })}
          options={idTypes.map((x) => ({ value: x, label: t(`station.idTypes.${x}`) }))}
        />
      </div>
      <div style={row}>
        <label htmlFor="station-idnumber">{t('station.idNumber')}</label>
        <Input
          id="station-idnumber"
          size="large"
          value={value.idNumber}
          onChange={(e) => set('idNumber')(e.target.value.toUpperCase())}
          autoComplete="off"
          inputMode={value.idType === 'RESIDENT_ID' ? 'numeric' : 'text'}
          maxLength={value.idType === 'RESIDENT_ID' ? 18 : 40}
        />
        {err('idNumber')}
      </div>
      <div style={row}>
        <label htmlFor="station-phone">{t('station.phone')}</label>
        <Input id="station-phone" size="large" value={value.phone} onChange={(e) => set('phone')(e.target.value)} inputMode="tel" autoComplete="off" />
        {err('phone')}
      </div>
    </div>
  );
}

export function toManualInput(id: Identity) {
  const phone = id.phone.replace(/[\s-]/g, '').replace(/^(\+86|0086)/, '');
  return { name: id.name.trim(), idType: id.idType, idNumber: id.idNumber.trim().toUpperCase(), ...(phone ? { phone } : {}) };
}
