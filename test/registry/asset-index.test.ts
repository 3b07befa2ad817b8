import { describe, expect, it } from 'vitest';
import { indexAssetTree } from '../../src/registry/asset-index.js';

describe('indexAssetTree', () => {
  it('finds asset files, version numbers and consumer teams in one pass, ignoring everything else', () => {
    const tree = indexAssetTree([
      'tessera.yaml',
      'teams/core.yaml',
      'assets/users/asset.yaml',
      'assets/users/versions/1.0.0.yaml',
      'assets/users/versions/1.1.0.yaml',
      'assets/users/versions/notes.txt',
      'assets/users/consumers/growth.yaml',
      'assets/users/consumers/README.md',
      'assets/orders/asset.yaml',
      'assets/orders/quality.yaml',
      'proposals/p-00000000.yaml',
    ]);
    expect(tree.assetFiles).toEqual(['assets/users/asset.yaml', 'assets/orders/asset.yaml']);
    expect(tree.byAsset.get('users')).toEqual({ versions: ['1.0.0', '1.1.0'], consumers: ['growth'] });
    expect(tree.byAsset.get('orders')).toBeUndefined();
    expect(tree.versionCount).toBe(2);
  });
});
