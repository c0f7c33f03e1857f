// The map's look. Big graphs drop host labels until zoomed in, so the page
// stays readable and fast at 1,000 hosts.
import type cytoscape from 'cytoscape';

export function graphStyle(big: boolean): cytoscape.StylesheetJson {
  return [
    {
      selector: 'node[kind = "switch"]',
      style: {
        shape: 'round-rectangle', width: 54, height: 30, 'background-color': '#1f3b5a', 'border-width': 2, 'border-color': '#0f2438',
        label: 'data(label)', color: '#ffffff', 'font-size': 11, 'font-weight': 'bold', 'text-valign': 'center', 'text-halign': 'center',
        'font-family': 'system-ui, sans-serif', 'min-zoomed-font-size': big ? 6 : 0,
      },
    },
    {
      selector: 'node[kind = "host"], node[kind = "endpoint"]',
      style: {
        shape: 'ellipse', width: 18, height: 18, 'background-color': 'data(color)', 'border-width': 1.5, 'border-color': '#ffffff',
        label: 'data(label)', 'font-size': 10, color: '#2d3b48', 'text-valign': 'bottom', 'text-margin-y': 3,
        'font-family': 'system-ui, sans-serif', 'text-background-color': '#f5f7fa', 'text-background-opacity': 0.8, 'text-background-padding': '1px',
        'min-zoomed-font-size': big ? 9 : 0,
      },
    },
    ...(big ? [{ selector: 'node[kind = "host"]', style: { 'border-width': 0, 'text-background-opacity': 0 } }] : []),
    { selector: 'node[kind = "endpoint"]', style: { shape: 'round-diamond', width: 22, height: 22 } },
    {
      selector: 'edge[kind = "link"]',
      style: { width: 'data(width)', 'line-color': 'data(color)', 'curve-style': big ? 'straight' : 'bezier', 'line-cap': big ? 'butt' : 'round' },
    },
    // haystack: the cheapest edge cytoscape draws; a thousand of them are most of a big map.
    { selector: 'edge[kind = "attach"]', style: { width: 1.2, 'line-color': '#c3ccd6', 'curve-style': big ? 'haystack' : 'straight' } },
    { selector: 'edge.down', style: { 'line-color': '#d32f2f', 'line-style': 'dashed', 'line-dash-pattern': [6, 4], width: 2.5, opacity: 0.9 } },
    { selector: 'node:selected', style: { 'border-width': 4, 'border-color': '#ff9800' } },
    { selector: 'node.match', style: { 'border-width': 4, 'border-color': '#ffd600' } },
    { selector: 'node.path', style: { 'border-width': 4, 'border-color': '#1565c0' } },
    { selector: 'edge.path', style: { 'line-color': '#1565c0', width: 6, 'z-index': 10 } },
    { selector: 'node.trace', style: { 'border-width': 4, 'border-color': '#7b1fa2' } },
    { selector: 'edge.trace', style: { 'line-color': '#7b1fa2', width: 6, 'z-index': 11 } },
    { selector: 'node.trace-end', style: { 'border-width': 5, 'border-color': '#2e7d32', 'background-color': '#43a047' } },
    { selector: 'node.trace-drop', style: { 'border-width': 5, 'border-color': '#c62828' } },
    { selector: 'node.trace-ctl', style: { 'border-width': 5, 'border-color': '#ef6c00' } },
    { selector: '.faded', style: { opacity: 0.25 } },
  ];
}
