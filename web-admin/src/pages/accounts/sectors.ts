import type { Sector } from '../../gql/graphql';

/** Every Sector of the schema, in its order (labels: enum.Sector in i18n). */
export const sectors: Sector[] = [
  'GOVERNMENT', 'HEALTH', 'EDUCATION', 'COMMERCE', 'CULTURE_TOURISM', 'TRANSPORT', 'HOUSING',
  'INDUSTRY', 'PUBLIC_SECURITY', 'CIVIL_AFFAIRS', 'FINANCE', 'UTILITIES', 'OTHER',
];
