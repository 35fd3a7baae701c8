/**
 * Builds the Casepane task pane and function file into dist/addin/.
 *
 *   npx webpack --mode production          minified, content-hashed, split bundles
 *   npx webpack serve --mode development   https://localhost:3000, API proxied to the backend
 *
 * Env:
 *   CASEPANE_API_ORIGIN  origin of the Cases API baked into the bundle ('' = same origin, the default)
 *   BACKEND_PORT         dev server proxy target port on localhost (default 3001)
 *   DEV_SERVER_PORT      dev server port (default 3000, the manifest's origin)
 *
 * Office.js is not bundled: taskpane.html loads it from the Office CDN with a <script> tag.
 */
const path = require('node:path');
const fs = require('node:fs');
const os = require('node:os');
const webpack = require('webpack');
const HtmlWebpackPlugin = require('html-webpack-plugin');
const CopyWebpackPlugin = require('copy-webpack-plugin');

const ROOT = __dirname;
const OUT = path.join(ROOT, 'dist', 'addin');
const PROXIED = ['/crm', '/auth', '/health', '/.well-known', '/openapi.json'];

/**
 * HTTPS options for the dev server. Office only loads add-ins from a trusted https origin, so use the
 * office-addin-dev-certs certificate (installing it on first use); when that is impossible (CI, no
 * trust store, no sudo) fall back to webpack-dev-server's own self-signed certificate.
 */
async function httpsServer() {
  const dir = path.join(os.homedir(), '.office-addin-dev-certs');
  const files = { ca: 'ca.crt', cert: 'localhost.crt', key: 'localhost.key' };
  try {
    const existing = Object.fromEntries(
      Object.entries(files).map(([k, f]) => [k, fs.readFileSync(path.join(dir, f))]),
    );
    return { type: 'https', options: existing };
  } catch {
    // Not generated yet: ask office-addin-dev-certs below.
  }
  if (!process.env.CI) {
    try {
      const devCerts = require('office-addin-dev-certs');
      const timeout = new Promise((_, reject) =>
        setTimeout(() => reject(new Error('timed out')), 30_000).unref(),
      );
      const options = await Promise.race([devCerts.getHttpsServerOptions(), timeout]);
      return { type: 'https', options: { ca: options.ca, cert: options.cert, key: options.key } };
    } catch (err) {
      console.warn(
        `[casepane] office-addin-dev-certs unavailable (${err.message.split('\n')[0]}); using a self-signed certificate`,
      );
    }
  }
  return 'https';
}

module.exports = async (env = {}, argv = {}) => {
  const mode = argv.mode || (process.env.NODE_ENV === 'production' ? 'production' : 'development');
  const prod = mode === 'production';
  const serving = Boolean(env.WEBPACK_SERVE);
  const backendPort = Number(process.env.BACKEND_PORT || 3001);

  const pane = {
    name: 'pane',
    mode,
    context: ROOT,
    target: ['web', 'es2019'],
    entry: {
      taskpane: './src/addin/taskpane/index.tsx',
      commands: './src/addin/commands/commands.ts',
      // The manifest's SupportUrl: a plain page for any browser (no Office.js, no React).
      support: './src/addin/support/support.ts',
      // Entra sign-in in an Office dialog where Outlook has no nested app authentication.
      'auth-dialog': './src/addin/auth/dialog/auth-dialog.ts',
    },
    output: {
      path: OUT,
      publicPath: '/',
      filename: prod ? '[name].[contenthash:8].js' : '[name].js',
      chunkFilename: prod ? '[name].[contenthash:8].js' : '[name].js',
      assetModuleFilename: 'assets/[name].[contenthash:8][ext]',
      clean: !serving,
    },
    devtool: prod ? 'source-map' : 'eval-cheap-module-source-map',
    resolve: {
      extensions: ['.tsx', '.ts', '.mjs', '.js', '.json'],
    },
    module: {
      rules: [
        {
          test: /\.[cm]?tsx?$/,
          exclude: /node_modules/,
          use: {
            loader: 'swc-loader',
            options: {
              jsc: {
                parser: { syntax: 'typescript', tsx: true },
                transform: { react: { runtime: 'automatic', development: !prod, refresh: false } },
                // Outlook hosts: WebView2 / Edge Chromium, Safari (Mac), Chromium-based Outlook on the web.
                target: 'es2019',
              },
              module: { type: 'es6' },
              sourceMaps: true,
            },
          },
        },
        { test: /\.(png|svg|jpe?g|gif|woff2?)$/i, type: 'asset/resource' },
      ],
    },
    plugins: [
      new webpack.DefinePlugin({
        __CASEPANE_API_ORIGIN__: JSON.stringify(process.env.CASEPANE_API_ORIGIN || ''),
        __CASEPANE_VERSION__: JSON.stringify(require('./package.json').version),
      }),
      new HtmlWebpackPlugin({
        filename: 'taskpane.html',
        template: './src/addin/taskpane/taskpane.html',
        chunks: ['taskpane'],
        scriptLoading: 'defer',
        minify: prod ? { collapseWhitespace: true, removeComments: true } : false,
      }),
      new HtmlWebpackPlugin({
        filename: 'commands.html',
        template: './src/addin/commands/commands.html',
        chunks: ['commands'],
        scriptLoading: 'defer',
        minify: prod ? { collapseWhitespace: true, removeComments: true } : false,
      }),
      new HtmlWebpackPlugin({
        filename: 'support.html',
        template: './src/addin/support/support.html',
        chunks: ['support'],
        scriptLoading: 'defer',
        minify: prod ? { collapseWhitespace: true, removeComments: true } : false,
      }),
      new HtmlWebpackPlugin({
        filename: 'auth-dialog.html',
        template: './src/addin/auth/dialog/auth-dialog.html',
        chunks: ['auth-dialog'],
        scriptLoading: 'defer',
        minify: prod ? { collapseWhitespace: true, removeComments: true } : false,
      }),
      new CopyWebpackPlugin({
        patterns: [{ from: 'assets', to: 'assets', globOptions: { ignore: ['**/.*'] } }],
      }),
    ],
    optimization: {
      minimize: prod,
      runtimeChunk: 'single',
      moduleIds: prod ? 'deterministic' : 'named',
      // Named vendor chunks take only what the pages load up front ('initial'): code behind a dynamic
      // import() (MSAL, for Entra sign-in only) stays in its own lazy chunk instead of joining them.
      splitChunks: {
        chunks: 'all',
        cacheGroups: {
          // React changes rarely: its own long-cached chunk.
          react: {
            test: /[\\/]node_modules[\\/](react|react-dom|scheduler)[\\/]/,
            name: 'react',
            priority: 30,
            chunks: 'initial',
          },
          // Fluent UI v9 + Griffel: the bulk of the vendor code.
          fluent: {
            test: /[\\/]node_modules[\\/](@fluentui|@griffel|@floating-ui|tabster|keyborg|@swc[\\/]helpers)[\\/]/,
            name: 'fluent',
            priority: 20,
            chunks: 'initial',
          },
          vendors: {
            test: /[\\/]node_modules[\\/]/,
            name: 'vendors',
            priority: 10,
            chunks: 'initial',
            reuseExistingChunk: true,
          },
        },
      },
    },
    performance: {
      hints: prod ? 'warning' : false,
      // Fluent UI v9 alone is ~100 KB gzipped; warn above these raw sizes.
      maxEntrypointSize: 1_200_000,
      maxAssetSize: 900_000,
    },
    stats: prod ? 'normal' : 'minimal',
    devServer: serving
      ? {
          port: Number(process.env.DEV_SERVER_PORT || 3000),
          host: 'localhost',
          server: await httpsServer(),
          hot: false,
          liveReload: true,
          static: false,
          headers: { 'Access-Control-Allow-Origin': '*' },
          client: { overlay: { errors: true, warnings: false } },
          proxy: [
            { context: PROXIED, target: `http://localhost:${backendPort}`, changeOrigin: false, ws: false },
          ],
          devMiddleware: { writeToDisk: false },
        }
      : undefined,
  };
  if (serving) return pane;
  /**
   * launchevent.js: the launch-event handlers for classic Outlook on Windows, whose event runtime loads only the
   * manifest's <Override type="javascript"> file, with no page around it
   * (https://learn.microsoft.com/office/dev/add-ins/outlook/autolaunch). So it is one self-contained file under a
   * fixed name: no runtime or vendor chunks to fetch, no content hash the manifest could not name. Built after the
   * pane (whose output.clean empties dist/addin first). The other clients load commands.html with the same code.
   */
  const launchEvent = {
    name: 'launchevent',
    dependencies: ['pane'],
    mode,
    context: ROOT,
    target: ['web', 'es2019'],
    entry: { launchevent: './src/addin/commands/commands.ts' },
    output: { path: OUT, publicPath: '/', filename: 'launchevent.js', clean: false },
    devtool: prod ? 'source-map' : false,
    resolve: pane.resolve,
    module: pane.module,
    // MSAL sits behind a dynamic import(): here it must be in the one file too (the runtime fetches nothing else).
    plugins: [pane.plugins[0], new webpack.optimize.LimitChunkCountPlugin({ maxChunks: 1 })],
    optimization: { minimize: prod, splitChunks: false, runtimeChunk: false },
    performance: { hints: false },
    stats: pane.stats,
  };
  return [pane, launchEvent];
};
