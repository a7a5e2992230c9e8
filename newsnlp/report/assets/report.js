/* newsnlp report: client-side search over window.NEWSNLP_SEARCH (assets/search-index.js).
   Results are built with textContent, never innerHTML, so no record can inject markup. */
(function () {
  "use strict";
  var data = window.NEWSNLP_SEARCH;
  var input = document.getElementById("q");
  if (!data || !input) { return; }
  var LABELS = {tags: "标签", organisations: "机构", officials: "官员", programmes: "项目与活动"};
  var LIMIT = 200;
  var status = document.getElementById("search-status");
  var entityList = document.getElementById("entity-results");
  var postList = document.getElementById("post-results");

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text) { node.textContent = text; }
    return node;
  }
  function link(href, text) {
    var a = el("a", "", text);
    a.setAttribute("href", href);
    return a;
  }
  function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } }

  function run(query) {
    var q = query.trim().toLowerCase();
    clear(entityList); clear(postList);
    document.getElementById("entity-heading").hidden = true;
    document.getElementById("post-heading").hidden = true;
    if (!q) { status.textContent = "输入词语后按回车。"; return; }
    var ents = [], posts = [], i;
    for (i = 0; i < data.entities.length; i++) {
      if (data.entities[i][1].toLowerCase().indexOf(q) !== -1) { ents.push(data.entities[i]); }
    }
    ents.sort(function (a, b) { return b[2] - a[2]; });
    for (i = 0; i < data.posts.length; i++) {
      var p = data.posts[i];
      if (p[0].toLowerCase().indexOf(q) !== -1 || p[1].toLowerCase().indexOf(q) !== -1) { posts.push(p); }
    }
    ents.slice(0, LIMIT).forEach(function (e) {
      var li = el("li");
      li.appendChild(el("span", "kind k-" + e[0], LABELS[e[0]] || e[0]));
      li.appendChild(document.createTextNode(" "));
      li.appendChild(link(e[3], e[1]));
      li.appendChild(el("span", "count", String(e[2])));
      entityList.appendChild(li);
    });
    posts.slice(0, LIMIT).forEach(function (p) {
      var li = el("li");
      li.appendChild(el("span", "date", p[2] || "无日期"));
      li.appendChild(document.createTextNode(" "));
      li.appendChild(link(p[3], p[0] || "（无标题）"));
      li.appendChild(el("p", "summary", p[1]));
      postList.appendChild(li);
    });
    document.getElementById("entity-heading").hidden = ents.length === 0;
    document.getElementById("post-heading").hidden = posts.length === 0;
    status.textContent = "“" + query.trim() + "”：" + ents.length + " 个名称，" + posts.length + " 篇文章" +
      (ents.length > LIMIT || posts.length > LIMIT ? "（只显示前 " + LIMIT + " 个）" : "") + "。";
  }

  var params = new URLSearchParams(window.location.search);
  var initial = params.get("q") || "";
  input.value = initial;
  run(initial);
  input.addEventListener("input", function () { run(input.value); });
}());
