// graphql-codegen (client preset): typed documents for every graphql(`…`)
// call under src/, from the server's schema in ../schema (the same files
// gqlgen reads). Output only under src/gql/ (STYLE.md: generated types only
// there); `npm run codegen` or `make web` rewrites it.
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: '../schema/*.graphqls',
  documents: ['src/**/*.{ts,tsx}', '!src/gql/**/*'],
  ignoreNoDocuments: true,
  generates: {
    './src/gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        scalars: { Time: 'string', Cursor: 'string', Map: 'Record<string, unknown>', Upload: 'File' },
      },
    },
  },
};

export default config;
