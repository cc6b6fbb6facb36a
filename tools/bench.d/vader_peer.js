#!/usr/bin/env node
// vader-sentiment peer for tools/bench: VADER sentiment of the "text" of every line of a
// JSON Lines file, with the npm package vader-sentiment (the Node.js port of VADER).
//
// Usage: NODE_PATH=DIR/node_modules node vader_peer.js FILE.jsonl > scores.jsonl
//
// Whole process work, like `vocmine analyze`: read the JSONL, call
// SentimentIntensityAnalyzer.polarity_scores(text) on each text, write the scores of each
// document as one JSON line.
'use strict';
const fs = require('fs');
const vader = require('vader-sentiment');

const path = process.argv[2];
if (!path) {
  process.stderr.write('usage: vader_peer.js FILE.jsonl\n');
  process.exit(2);
}
const sia = vader.SentimentIntensityAnalyzer;
const lines = fs.readFileSync(path, 'utf8').split('\n');
let chunk = [];
for (const line of lines) {
  if (!line.trim()) continue;
  const text = JSON.parse(line).text;
  if (typeof text !== 'string') continue;
  chunk.push(JSON.stringify(sia.polarity_scores(text)));
  if (chunk.length === 1024) {
    fs.writeSync(1, chunk.join('\n') + '\n');
    chunk = [];
  }
}
if (chunk.length) fs.writeSync(1, chunk.join('\n') + '\n');
