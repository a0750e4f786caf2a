// Renders data/catalog.json into the page, so the demo also shows a JSON fetch through the CDN.
"use strict";

document.addEventListener("DOMContentLoaded", async () => {
  const list = document.getElementById("catalog");
  try {
    const response = await fetch("data/catalog.json");
    if (!response.ok) {
      throw new Error(`HTTP ${response.status}`);
    }
    const catalog = await response.json();
    list.replaceChildren(
      ...catalog.items.map((item) => {
        const li = document.createElement("li");
        const link = document.createElement("a");
        link.href = item.path;
        link.textContent = item.name;
        li.append(link, ` (${item.type})`);
        return li;
      })
    );
  } catch (error) {
    list.textContent = `Could not load the catalog: ${error.message}`;
  }
});
