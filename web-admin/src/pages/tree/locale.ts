import { pageTexts } from '../../i18n';

pageTexts(
  'treePage',
  {
    population: '户籍人口',
    registrationTarget: '注册目标',
    subSites: '下级站点 {{count}}',
    disabledSite: '未启用',
    searchRegions: '区划',
    searchSites: '站点',
    root: '全部辖区',
  },
  {
    population: 'Population',
    registrationTarget: 'Registration target',
    subSites: '{{count}} sub-sites',
    disabledSite: 'Not enabled',
    searchRegions: 'Regions',
    searchSites: 'Sites',
    root: 'All regions',
  },
);
