export default defineBackground(() => {
  // The glossary cache and settings arrive with the extension issue.
});
