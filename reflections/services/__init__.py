"""Every write in reflections, one module per area (as Zulip's `zerver/actions/`), so a file's name answers
"where is this done?": `journal`, `sharing`, `conversations`, `notifications`, `record` (export, import, delete),
`prompts`. Run inside the organisation's schema."""
