/** `shop`, `shop.order.placed`, `guest-book` → `Shop`, `ShopOrderPlaced`, `GuestBook`: OpenAPI component names. */
export const pascalCase = (name: string) =>
  name.replace(/(^|[._-])([a-z0-9])/g, (_match, _separator: string, letter: string) => letter.toUpperCase());
