import { defineCheck } from '../check.ts';
import { gatherHandEdit } from './gather.ts';
import { judgeHandEditsReconciled } from './judge.ts';

export const handEditsReconciled = defineCheck({
  id: 'hand-edits-reconciled',
  description: "the hand-edited chart-owned setting is back to the chart's value; tenant data untouched",
  phases: ['upgrade'],
  needs: ['live-edit'],
  gather: gatherHandEdit,
  judge: judgeHandEditsReconciled,
});
