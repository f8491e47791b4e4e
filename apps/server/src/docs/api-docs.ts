import path from "node:path";
import express, { Router } from "express";
import { createRequire } from "node:module";

const page = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Tenantry API</title>
    <link rel="stylesheet" href="./assets/swagger-ui.css" />
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="./assets/swagger-ui-bundle.js"></script>
    <script src="./init.js"></script>
  </body>
</html>`;

/**
 * Interactive API docs at `/docs`, served entirely from this server: Swagger UI's files come
 * from the `swagger-ui-dist` package, and the start-up script is a file rather than inline
 * code so the Content-Security-Policy can stay `script-src 'self'`.
 */
export function apiDocsRoutes(openApiPath: string) {
  const routes = Router();
  const init = `window.ui = SwaggerUIBundle({ url: ${JSON.stringify(openApiPath)}, dom_id: "#swagger-ui", deepLinking: true });`;
  routes.get("/docs", (req, res, next) => {
    // Relative asset URLs need the trailing slash.
    if (!new URL(req.originalUrl, "http://localhost").pathname.endsWith("/")) {
      return res.redirect(301, "/docs/");
    }
    next();
  });
  routes.get("/docs/", (_req, res) => {
    res.type("html").send(page);
  });
  routes.get("/docs/init.js", (_req, res) => {
    res.type("application/javascript").send(init);
  });
  routes.use("/docs/assets", express.static(path.resolve(swaggerUiDir()), { index: false, maxAge: "1d" }));
  return routes;
}

/**
 * The package's folder, found without importing its entry: that loads the whole Swagger UI
 * bundle (~0.2 s at every start) to hand back a path.
 */
function swaggerUiDir(): string {
  return path.dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));
}
