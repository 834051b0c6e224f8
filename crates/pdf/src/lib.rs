//! Printable documents as PDF.
//!
//! A [`Document`] is a list of [`Block`]s — a title, headings, paragraphs, check lines and
//! tables — that [`render`] lays out on A4 pages: text wrapped to the width, tables split across
//! pages with their header repeated, and a footer with the page number on every page. The text is
//! set in DejaVu Sans (embedded, subset to the glyphs used), which covers the Latin and Cyrillic
//! letters of every language the product speaks.

use std::sync::OnceLock;

use krilla::Document as Pdf;
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::Metadata;
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, FillRule};
use krilla::text::{Font, TextDirection};
use skrifa::instance::{LocationRef, Size};
use skrifa::{FontRef, MetadataProvider};

const REGULAR: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");
const BOLD: &[u8] = include_bytes!("../fonts/DejaVuSans-Bold.ttf");

/// A4, in points.
const PAGE_WIDTH: f32 = 595.28;
const PAGE_HEIGHT: f32 = 841.89;
const MARGIN: f32 = 50.0;
/// Room kept at the bottom of each page for the footer.
const FOOTER: f32 = 28.0;
/// Line height as a multiple of the font size.
const LEADING: f32 = 1.35;
/// Space inside a table cell, left and right.
const CELL_PAD: f32 = 4.0;
/// The most pages one document may have: a bound on what any input can cost.
pub const MAX_PAGES: usize = 500;

/// A document to print.
#[derive(Clone, Debug, Default)]
pub struct Document {
    /// The document's title, in its metadata.
    pub title: String,
    /// The language it is written in (a BCP 47 tag: "en", "ru").
    pub language: String,
    /// Printed at the bottom left of every page, before the page number.
    pub footer: String,
    pub blocks: Vec<Block>,
}

/// A piece of a document, laid out below the one before.
#[derive(Clone, Debug)]
pub enum Block {
    Title(String),
    Heading(String),
    Subheading(String),
    Text(String),
    /// A line with a box before it, ticked or not.
    Check {
        done: bool,
        text: String,
    },
    Table(Table),
}

/// A table: its columns, and rows of one cell per column.
#[derive(Clone, Debug, Default)]
pub struct Table {
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<String>>,
}

/// A column of a table: its title and its share of the width (any positive numbers, compared
/// with the other columns').
#[derive(Clone, Debug)]
pub struct Column {
    pub title: String,
    pub share: f32,
}

impl Column {
    pub fn new(title: impl Into<String>, share: f32) -> Column {
        Column {
            title: title.into(),
            share,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("the document would have more than {MAX_PAGES} pages")]
    TooLong,
    #[error("the PDF could not be written: {0}")]
    Write(String),
}

/// A file carried inside an archival PDF (PDF/A-3), such as the XML of a Factur-X invoice.
#[derive(Clone, Debug)]
pub struct Attachment {
    /// Its file name ("factur-x.xml").
    pub name: String,
    pub mime_type: String,
    pub description: String,
    pub data: Vec<u8>,
    /// The day it was made (year, month, day), written as its modification date and the
    /// document's creation date.
    pub date: (u16, u8, u8),
    /// RDF descriptions added to the PDF's XMP metadata (the Factur-X extension schema).
    pub xmp: String,
}

/// The document as an archival PDF (PDF/A-3b) carrying `attachment` as its alternative
/// representation: what a Factur-X / ZUGFeRD invoice is.
pub fn render_archival(doc: &Document, attachment: &Attachment) -> Result<Vec<u8>, PdfError> {
    use krilla::configure::{Archival, ConfigurationBuilder};
    use krilla::embed::{AssociationKind, EmbeddedFile, MimeType};
    use krilla::metadata::DateTime;
    let configuration = ConfigurationBuilder::new()
        .with_archival_validator(Archival::A3_B)
        .finish()
        .map_err(|e| PdfError::Write(format!("{e:?}")))?;
    let settings = krilla::SerializeSettings {
        configuration,
        ..Default::default()
    };
    let (y, m, d) = attachment.date;
    let date = DateTime::new(y).month(m).day(d).utc_offset_hour(0);
    let bytes = render_with(doc, Pdf::new_with(settings), Some(date), |pdf| {
        pdf.embed_file(EmbeddedFile {
            path: attachment.name.clone(),
            mime_type: MimeType::new(&attachment.mime_type),
            description: Some(attachment.description.clone()),
            association_kind: AssociationKind::Alternative,
            data: attachment.data.clone().into(),
            modification_date: Some(date),
            compress: None,
            location: None,
        })
        .ok_or_else(|| PdfError::Write("the file is embedded twice".into()))
    })?;
    with_xmp(&bytes, &attachment.xmp)
}

/// `pdf` with `extra` RDF descriptions added to its XMP metadata.
fn with_xmp(pdf: &[u8], extra: &str) -> Result<Vec<u8>, PdfError> {
    let fail = |what: &str| PdfError::Write(format!("XMP metadata: {what}"));
    let mut doc = lopdf::Document::load_mem(pdf).map_err(|e| fail(&e.to_string()))?;
    let id = doc
        .catalog()
        .and_then(|c| c.get(b"Metadata"))
        .and_then(lopdf::Object::as_reference)
        .map_err(|e| fail(&e.to_string()))?;
    let stream = doc
        .get_object_mut(id)
        .and_then(lopdf::Object::as_stream_mut)
        .map_err(|e| fail(&e.to_string()))?;
    let xmp = String::from_utf8(stream.content.clone()).map_err(|_| fail("not UTF-8"))?;
    let at = xmp.find("</rdf:RDF>").ok_or_else(|| fail("no rdf:RDF"))?;
    let patched = format!("{}{extra}{}", &xmp[..at], &xmp[at..]);
    stream.set_content(patched.into_bytes());
    let mut out = Vec::new();
    doc.save_to(&mut out).map_err(|e| fail(&e.to_string()))?;
    Ok(out)
}

/// The document as a PDF file.
pub fn render(doc: &Document) -> Result<Vec<u8>, PdfError> {
    render_with(doc, Pdf::new(), None, |_| Ok(()))
}

fn render_with(
    doc: &Document,
    mut pdf: Pdf,
    created: Option<krilla::metadata::DateTime>,
    before_finish: impl FnOnce(&mut Pdf) -> Result<(), PdfError>,
) -> Result<Vec<u8>, PdfError> {
    let fonts = fonts();
    let mut layout = Layout::new(fonts);
    for block in &doc.blocks {
        layout.block(block)?;
    }
    let pages = layout.finish();
    let mut metadata = Metadata::new()
        .title(doc.title.clone())
        .language(doc.language.clone())
        .creator("frontdesk".to_string());
    if let Some(d) = created {
        metadata = metadata.creation_date(d);
    }
    pdf.set_metadata(metadata);
    let count = pages.len();
    for (n, ops) in pages.iter().enumerate() {
        let settings = PageSettings::from_wh(PAGE_WIDTH, PAGE_HEIGHT)
            .ok_or_else(|| PdfError::Write("page size".into()))?;
        let mut page = pdf.start_page_with(settings);
        let mut surface = page.surface();
        let footer_y = PAGE_HEIGHT - MARGIN / 2.0;
        let number = format!("{} / {count}", n + 1);
        let footer = [
            Op::Text {
                x: MARGIN,
                y: footer_y,
                size: 8.0,
                bold: false,
                gray: true,
                text: doc.footer.clone(),
            },
            Op::Text {
                x: PAGE_WIDTH - MARGIN - fonts.width(&number, 8.0, false),
                y: footer_y,
                size: 8.0,
                bold: false,
                gray: true,
                text: number,
            },
        ];
        for op in ops.iter().chain(&footer) {
            match op {
                Op::Text {
                    x,
                    y,
                    size,
                    bold,
                    gray,
                    text,
                } => {
                    surface.set_fill(Some(fill(if *gray { 110 } else { 0 })));
                    let font = if *bold { &fonts.bold } else { &fonts.regular };
                    surface.draw_text(
                        Point::from_xy(*x, *y),
                        font.pdf.clone(),
                        *size,
                        text,
                        false,
                        TextDirection::Auto,
                    );
                }
                Op::Shade { x, y, w, h, level } => {
                    let Some(rect) = Rect::from_xywh(*x, *y, *w, *h) else {
                        continue;
                    };
                    let mut path = PathBuilder::new();
                    path.push_rect(rect);
                    if let Some(path) = path.finish() {
                        surface.set_fill(Some(fill(*level)));
                        surface.draw_path(&path);
                    }
                }
            }
        }
        surface.finish();
        page.finish();
    }
    before_finish(&mut pdf)?;
    pdf.finish().map_err(|e| PdfError::Write(format!("{e:?}")))
}

fn fill(level: u8) -> Fill {
    Fill {
        paint: rgb::Color::new(level, level, level).into(),
        opacity: NormalizedF32::ONE,
        rule: FillRule::default(),
    }
}

/// A font for the PDF and its advances for measuring, per character.
struct Face {
    pdf: Font,
    units_per_em: f32,
    /// Advance widths of the characters below U+0530 (Latin, Greek, Cyrillic), in font units.
    advances: Vec<f32>,
    /// The advance of any other character.
    other: f32,
}

impl Face {
    fn new(data: &'static [u8]) -> Face {
        let font = FontRef::new(data).expect("the embedded font is valid");
        let charmap = font.charmap();
        let metrics = font.glyph_metrics(Size::unscaled(), LocationRef::default());
        let pdf = Font::new(data.into(), 0).expect("the embedded font is valid");
        let advance = |c: char| charmap.map(c).and_then(|g| metrics.advance_width(g));
        let other = advance('M').unwrap_or(1000.0);
        let advances = (0..0x530u32)
            .map(|u| char::from_u32(u).and_then(advance).unwrap_or(other))
            .collect();
        Face {
            units_per_em: pdf.units_per_em(),
            pdf,
            advances,
            other,
        }
    }

    fn width(&self, text: &str, size: f32) -> f32 {
        let units: f32 = text
            .chars()
            .map(|c| self.advances.get(c as usize).copied().unwrap_or(self.other))
            .sum();
        units * size / self.units_per_em
    }
}

struct Fonts {
    regular: Face,
    bold: Face,
}

impl Fonts {
    fn width(&self, text: &str, size: f32, bold: bool) -> f32 {
        if bold {
            self.bold.width(text, size)
        } else {
            self.regular.width(text, size)
        }
    }
}

fn fonts() -> &'static Fonts {
    static FONTS: OnceLock<Fonts> = OnceLock::new();
    FONTS.get_or_init(|| Fonts {
        regular: Face::new(REGULAR),
        bold: Face::new(BOLD),
    })
}

/// What is drawn on a page, top-left origin, `y` of text its baseline.
#[derive(Clone, Debug)]
enum Op {
    Text {
        x: f32,
        y: f32,
        size: f32,
        bold: bool,
        gray: bool,
        text: String,
    },
    Shade {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        level: u8,
    },
}

/// Places blocks on pages, top to bottom.
struct Layout {
    fonts: &'static Fonts,
    pages: Vec<Vec<Op>>,
    /// Where the next block starts on the current page.
    y: f32,
}

const WIDTH: f32 = PAGE_WIDTH - 2.0 * MARGIN;
const BOTTOM: f32 = PAGE_HEIGHT - MARGIN - FOOTER;

impl Layout {
    fn new(fonts: &'static Fonts) -> Layout {
        Layout {
            fonts,
            pages: vec![Vec::new()],
            y: MARGIN,
        }
    }

    fn finish(self) -> Vec<Vec<Op>> {
        self.pages
    }

    fn new_page(&mut self) -> Result<(), PdfError> {
        if self.pages.len() >= MAX_PAGES {
            return Err(PdfError::TooLong);
        }
        self.pages.push(Vec::new());
        self.y = MARGIN;
        Ok(())
    }

    /// Makes room for `height` more, on a new page if this one is full.
    fn room(&mut self, height: f32) -> Result<(), PdfError> {
        if self.y + height > BOTTOM && self.y > MARGIN {
            self.new_page()?;
        }
        Ok(())
    }

    fn push(&mut self, op: Op) {
        self.pages.last_mut().expect("a page").push(op);
    }

    fn block(&mut self, block: &Block) -> Result<(), PdfError> {
        match block {
            Block::Title(t) => self.paragraph(t, 17.0, true, 0.0, 8.0),
            Block::Heading(t) => {
                self.y += 8.0;
                // A heading is kept with at least three lines of what follows.
                self.room(13.0 * LEADING + 3.0 * 10.0 * LEADING)?;
                self.paragraph(t, 13.0, true, 0.0, 4.0)
            }
            Block::Subheading(t) => {
                self.y += 4.0;
                self.room(11.0 * LEADING + 2.0 * 10.0 * LEADING)?;
                self.paragraph(t, 10.5, true, 0.0, 2.0)
            }
            Block::Text(t) => self.paragraph(t, 10.0, false, 0.0, 4.0),
            Block::Check { done, text } => {
                let mark = if *done { "☑" } else { "☐" };
                self.room(10.0 * LEADING)?;
                let y = self.y + 10.0;
                self.push(Op::Text {
                    x: MARGIN,
                    y,
                    size: 10.0,
                    bold: false,
                    gray: false,
                    text: mark.to_string(),
                });
                self.paragraph(text, 10.0, false, 16.0, 2.0)
            }
            Block::Table(table) => self.table(table),
        }
    }

    /// Wrapped text, `indent` from the left margin, then `after` of space.
    fn paragraph(
        &mut self,
        text: &str,
        size: f32,
        bold: bool,
        indent: f32,
        after: f32,
    ) -> Result<(), PdfError> {
        let line = size * LEADING;
        for l in wrap(self.fonts, text, size, bold, WIDTH - indent) {
            self.room(line)?;
            self.push(Op::Text {
                x: MARGIN + indent,
                y: self.y + size,
                size,
                bold,
                gray: false,
                text: l,
            });
            self.y += line;
        }
        self.y += after;
        Ok(())
    }

    fn table(&mut self, table: &Table) -> Result<(), PdfError> {
        let size = 8.5;
        let line = size * LEADING;
        let total: f32 = table.columns.iter().map(|c| c.share.max(0.1)).sum();
        let widths: Vec<f32> = table
            .columns
            .iter()
            .map(|c| WIDTH * c.share.max(0.1) / total)
            .collect();
        let header: Vec<String> = table.columns.iter().map(|c| c.title.clone()).collect();
        let row_lines = |cells: &[String], bold: bool| -> Vec<Vec<String>> {
            widths
                .iter()
                .enumerate()
                .map(|(i, w)| {
                    let text = cells.get(i).map_or("", String::as_str);
                    wrap(self.fonts, text, size, bold, w - 2.0 * CELL_PAD)
                })
                .collect()
        };
        let header_lines = row_lines(&header, true);
        let height = |lines: &[Vec<String>]| {
            lines.iter().map(Vec::len).max().unwrap_or(1).max(1) as f32 * line + 4.0
        };
        // A table whose columns have no titles (a block of totals) has no header row.
        let headed = table.columns.iter().any(|c| !c.title.is_empty());
        let header_height = if headed { height(&header_lines) } else { 0.0 };
        self.room(header_height + line + 4.0)?;
        if headed {
            self.draw_row(&widths, &header_lines, size, true, header_height);
        }
        for (n, cells) in table.rows.iter().enumerate() {
            let lines = row_lines(cells, false);
            let h = height(&lines);
            if self.y + h > BOTTOM {
                self.new_page()?;
                if headed {
                    self.draw_row(&widths, &header_lines, size, true, header_height);
                }
            }
            if n % 2 == 1 {
                self.push(Op::Shade {
                    x: MARGIN,
                    y: self.y,
                    w: WIDTH,
                    h,
                    level: 244,
                });
            }
            self.draw_row(&widths, &lines, size, false, h);
        }
        self.y += 6.0;
        Ok(())
    }

    fn draw_row(
        &mut self,
        widths: &[f32],
        lines: &[Vec<String>],
        size: f32,
        header: bool,
        height: f32,
    ) {
        if header {
            self.push(Op::Shade {
                x: MARGIN,
                y: self.y,
                w: WIDTH,
                h: height,
                level: 225,
            });
        }
        let mut x = MARGIN;
        for (w, cell) in widths.iter().zip(lines) {
            for (i, l) in cell.iter().enumerate() {
                self.push(Op::Text {
                    x: x + CELL_PAD,
                    y: self.y + 2.0 + size + i as f32 * size * LEADING,
                    size,
                    bold: header,
                    gray: false,
                    text: l.clone(),
                });
            }
            x += w;
        }
        self.y += height;
    }
}

/// `text` broken into lines no wider than `width`: at spaces, and inside a word only when the
/// word alone is wider. Line breaks in the text are kept; other control characters are dropped.
fn wrap(fonts: &Fonts, text: &str, size: f32, bold: bool, width: f32) -> Vec<String> {
    let measure = |s: &str| fonts.width(s, size, bold);
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let clean: String = paragraph
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        let mut line = String::new();
        let mut line_width = 0.0;
        let space = measure(" ");
        for word in clean.split_whitespace() {
            let word_width = measure(word);
            if line.is_empty() && word_width <= width {
                line.push_str(word);
                line_width = word_width;
                continue;
            }
            if !line.is_empty() && line_width + space + word_width <= width {
                line.push(' ');
                line.push_str(word);
                line_width += space + word_width;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            // A word wider than the line is cut where it no longer fits.
            let mut rest = word;
            while measure(rest) > width {
                let mut cut = 0;
                let mut w = 0.0;
                for (i, c) in rest.char_indices() {
                    w += measure(c.encode_utf8(&mut [0; 4]));
                    if w > width {
                        break;
                    }
                    cut = i + c.len_utf8();
                }
                // Not even one character fits: print it anyway rather than loop.
                if cut == 0 {
                    cut = rest.chars().next().map_or(rest.len(), char::len_utf8);
                }
                lines.push(rest[..cut].to_string());
                rest = &rest[cut..];
            }
            line = rest.to_string();
            line_width = measure(rest);
        }
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_no_wider_than_the_width_and_keep_every_word() {
        let text =
            "Отчёт о возвращении: клиенты, обращения и обещания. Überweisung señor ".repeat(12);
        let lines = wrap(fonts(), &text, 10.0, false, 200.0);
        assert!(lines.len() > 5);
        for l in &lines {
            assert!(fonts().width(l, 10.0, false) <= 200.0, "{l}");
        }
        let joined: Vec<&str> = lines.iter().flat_map(|l| l.split_whitespace()).collect();
        let words: Vec<&str> = text.split_whitespace().collect();
        assert_eq!(joined, words);
    }

    #[test]
    fn a_word_wider_than_the_line_is_cut_not_lost() {
        let word = "x".repeat(300);
        let lines = wrap(fonts(), &word, 10.0, false, 100.0);
        assert!(lines.len() > 2);
        assert_eq!(lines.concat(), word);
    }

    #[test]
    fn a_document_is_a_pdf_and_a_runaway_one_is_refused() {
        let doc = Document {
            title: "Return report".into(),
            language: "en".into(),
            footer: "frontdesk".into(),
            blocks: vec![
                Block::Title("Return report".into()),
                Block::Table(Table {
                    columns: vec![Column::new("When", 1.0), Column::new("Who", 2.0)],
                    rows: vec![vec!["Mon 10:00".into(), "Joost".into()]; 200],
                }),
                Block::Check {
                    done: false,
                    text: "Call Acme".into(),
                },
            ],
        };
        let pdf = render(&doc).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        let huge = Document {
            blocks: vec![Block::Text("word ".repeat(600_000))],
            ..doc
        };
        assert!(matches!(render(&huge), Err(PdfError::TooLong)));
    }
}
