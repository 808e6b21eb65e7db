//! Output of `classify`: every setting with its location, format, key path,
//! value, and (when a model applies) area and responsible parties. Written as
//! a stream: each file's rows are rendered on their own (in parallel by the
//! caller) and appended, so memory never holds the whole output. JSON puts
//! one setting object on each line.

use std::fmt::Write as _;
use std::io::{self, Write};

use serde::Serialize;

use super::escape::{csv as field, human as esc};
use super::format::ClassifyFormat;
use super::json::{AreaFields, JsonFinding};
use crate::findings::{AreaRef, Finding};
use crate::packs::Role;
use crate::setting::{Context, Format, Setting};

/// One setting and its classification.
#[derive(Debug, Clone, Copy)]
pub struct SettingRow<'a> {
    /// The setting.
    pub setting: &'a Setting,
    /// Its area, if a matcher claimed it.
    pub area: Option<&'a AreaRef>,
}

#[derive(Serialize)]
struct JsonSetting<'a> {
    file: &'a str,
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
    setting: &'a str,
    format: Format,
    kind: &'static str,
    value: Option<&'a str>,
    context: &'a Context,
    #[serde(flatten)]
    area: AreaFields<'a>,
}

/// Rows of one file, rendered, with counts.
#[derive(Debug, Default)]
pub struct Chunk {
    text: String,
    rows: usize,
    unclassified: usize,
}

fn value(s: &Setting) -> Option<&str> {
    if s.is_block() {
        None
    } else {
        s.value.scalar_text()
    }
}

/// Renders the rows of one file.
pub fn chunk(format: ClassifyFormat, rows: &[SettingRow<'_>]) -> Chunk {
    let mut text = String::new();
    for (i, r) in rows.iter().enumerate() {
        let s = r.setting;
        let a = r.area;
        match format {
            ClassifyFormat::Json => {
                if i > 0 {
                    text.push_str(",\n");
                }
                let row = JsonSetting {
                    file: &s.file,
                    line: s.span.start.line,
                    column: s.span.start.col,
                    end_line: s.span.end.line,
                    end_column: s.span.end.col,
                    setting: &s.path,
                    format: s.format,
                    kind: if s.is_block() { "block" } else { "leaf" },
                    value: value(s),
                    context: &s.context,
                    area: AreaFields::new(a),
                };
                text.push_str(&serde_json::to_string(&row).unwrap_or_default());
            }
            ClassifyFormat::Human => {
                if i == 0 {
                    let _ = writeln!(text, "{}", esc(&s.file));
                }
                let loc = format!("{}:{}", s.span.start.line, s.span.start.col);
                let shown = short(&s.value.to_string(), 60);
                let _ = write!(
                    text,
                    "  {loc:<8} {:<10} {} = {shown}",
                    s.format.as_str(),
                    esc(&s.path)
                );
                if let Some(a) = a {
                    let _ = write!(text, "  → {} ({})", esc(&a.id), esc(&a.owner));
                }
                text.push('\n');
            }
            ClassifyFormat::Csv => {
                let cells = [
                    field(&s.file),
                    s.span.start.line.to_string(),
                    s.span.start.col.to_string(),
                    s.format.as_str().to_string(),
                    field(&s.path),
                    field(value(s).unwrap_or_default()),
                    field(a.map_or("", |a| &a.id)),
                    field(a.map_or("", |a| &a.title)),
                    field(a.map_or("", |a| &a.owner)),
                    a.map_or(String::new(), |a| roles(&a.responsible)),
                    a.map_or(String::new(), |a| roles(&a.accountable)),
                    a.map_or(String::new(), |a| roles(&a.consulted)),
                    a.map_or(String::new(), |a| roles(&a.informed)),
                ];
                text.push_str(&cells.join(","));
                text.push('\n');
            }
        }
    }
    Chunk {
        text,
        rows: rows.len(),
        unclassified: rows.iter().filter(|r| r.area.is_none()).count(),
    }
}

/// Writes chunks as they come, then the problems and the closing lines.
pub struct SettingsWriter<W: Write> {
    out: W,
    format: ClassifyFormat,
    rows: usize,
    files: usize,
    unclassified: usize,
}

impl<W: Write> SettingsWriter<W> {
    /// Starts the output (CSV header, JSON opening).
    pub fn new(mut out: W, format: ClassifyFormat) -> io::Result<SettingsWriter<W>> {
        match format {
            ClassifyFormat::Json => out.write_all(b"{\"settings\": [\n")?,
            ClassifyFormat::Csv => out.write_all(
                b"file,line,column,format,setting,value,area,area_title,owner,responsible,accountable,consulted,informed\n",
            )?,
            ClassifyFormat::Human => {}
        }
        Ok(SettingsWriter {
            out,
            format,
            rows: 0,
            files: 0,
            unclassified: 0,
        })
    }

    /// Appends one file's rows.
    pub fn push(&mut self, chunk: &Chunk) -> io::Result<()> {
        if chunk.rows == 0 {
            return Ok(());
        }
        if self.format == ClassifyFormat::Json && self.rows > 0 {
            self.out.write_all(b",\n")?;
        }
        self.out.write_all(chunk.text.as_bytes())?;
        self.rows += chunk.rows;
        self.files += 1;
        self.unclassified += chunk.unclassified;
        Ok(())
    }

    /// Ends the output with the problems met while reading.
    pub fn finish(mut self, problems: &[Finding]) -> io::Result<()> {
        match self.format {
            ClassifyFormat::Json => {
                let list: Vec<JsonFinding<'_>> = problems.iter().map(JsonFinding::new).collect();
                let problems =
                    serde_json::to_string_pretty(&list).unwrap_or_else(|_| "[]".to_string());
                writeln!(self.out, "\n], \"problems\": {problems}}}")?;
            }
            ClassifyFormat::Human => {
                for p in problems {
                    let (l, c) = (p.span.start.line, p.span.start.col);
                    writeln!(
                        self.out,
                        "{}:{l}:{c}: {}[{}]: {}",
                        esc(&p.file),
                        p.severity,
                        p.code,
                        esc(&p.message)
                    )?;
                }
                let (rows, files, unclassified) = (self.rows, self.files, self.unclassified);
                writeln!(
                    self.out,
                    "{rows} settings in {files} files, {unclassified} unclassified"
                )?;
            }
            ClassifyFormat::Csv => {}
        }
        self.out.flush()
    }
}

/// Shortens a value for one-line display.
fn short(value: &str, max: usize) -> String {
    let one_line = esc(value).into_owned();
    if one_line.chars().count() <= max {
        one_line
    } else {
        let cut: String = one_line.chars().take(max.saturating_sub(1)).collect();
        format!("{cut}…")
    }
}

fn roles(list: &[Role]) -> String {
    list.iter()
        .map(|r| r.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}
