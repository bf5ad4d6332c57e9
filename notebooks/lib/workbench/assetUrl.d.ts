// Vite's `?url` imports: the build copies the file beside the pages and the import is its URL.
declare module "*?url" {
  const url: string;
  export default url;
}
