import { pascalCase } from "./component-names.ts";
import type { OpenAPIObject } from "trpc-to-openapi";

const enablePath = "/tenant/modules/{moduleId}/enable";

/** A module's settings patch as a component: `shop` → `ShopSettingsPatch`. */
const settingsPatchComponent = (moduleId: string) => `${pascalCase(moduleId)}SettingsPatch`;

type Schema = NonNullable<NonNullable<OpenAPIObject["components"]>["schemas"]>[string];

/**
 * `settings` on the generic enable operation is the settings patch of the module the path names.
 * The input takes any object (the module validates it), but a client can know its shape: each
 * module's `PATCH /modules/<id>/settings` body becomes a `<Module>SettingsPatch` component, which
 * that operation and `settings` here both point at.
 */
export function describeEnableSettings(document: OpenAPIObject, moduleIds: readonly string[]): void {
  const body = document.paths?.[enablePath]?.post?.requestBody;
  const schema = body && "content" in body ? body.content["application/json"]?.schema : undefined;
  const settings = schema && "properties" in schema ? schema.properties?.settings : undefined;
  if (!schema || !("properties" in schema) || !schema.properties || !settings || "$ref" in settings) {
    throw new Error(`OpenAPI: POST ${enablePath} has no settings object to describe.`);
  }
  const patches = moduleIds.map((id) => ({ $ref: `#/components/schemas/${settingsPatchAsComponent(document, id)}` }));
  schema.properties.settings = {
    description:
      "Settings to start with, merged over the tenant's stored settings or the module's defaults: the settings " +
      "patch of the module `moduleId` names (" +
      moduleIds.map((id) => `\`${settingsPatchComponent(id)}\` for \`${id}\``).join(", ") +
      "). Validated by that module: a field another module defines is refused.",
    ...(patches.length === 1 ? patches[0] : { anyOf: patches }),
  };
}

/** Moves a module's settings patch body into components; returns the component's name. */
function settingsPatchAsComponent(document: OpenAPIObject, moduleId: string): string {
  const body = document.paths?.[`/modules/${moduleId}/settings`]?.patch?.requestBody;
  const media = body && "content" in body ? body.content["application/json"] : undefined;
  if (!media?.schema || "$ref" in media.schema) {
    throw new Error(`OpenAPI: PATCH /modules/${moduleId}/settings has no settings body to name.`);
  }
  const name = settingsPatchComponent(moduleId);
  const schemas: Record<string, Schema> = (document.components ??= {}).schemas ?? {};
  schemas[name] = { ...media.schema, description: `The ${moduleId} module's settings, any subset: nested objects merge.` };
  document.components.schemas = schemas;
  media.schema = { $ref: `#/components/schemas/${name}` };
  return name;
}
