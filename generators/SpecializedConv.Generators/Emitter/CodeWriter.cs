using System;
using System.Text;

namespace SpecializedConv.Generators.Emitter;

/// <summary>Indented C# text: generated code is read by users, so it is laid out as a person would write it.</summary>
internal sealed class CodeWriter
{
    private readonly StringBuilder _text = new();
    private int _indent;

    public void Line(string line = "")
    {
        if (line.Length > 0)
        {
            _text.Append(' ', _indent * 4);
        }

        _text.Append(line).Append('\n');
    }

    /// <summary>Writes a line, then an opening brace, and indents.</summary>
    public void Open(string line)
    {
        Line(line);
        Line("{");
        _indent++;
    }

    /// <summary>Outdents and writes the closing brace.</summary>
    public void Close(string suffix = "")
    {
        _indent--;
        Line("}" + suffix);
    }

    /// <summary>Writes each line of a block of documentation or comment text.</summary>
    public void Lines(string text)
    {
        foreach (string line in text.Split(['\n'], StringSplitOptions.None))
        {
            Line(line.TrimEnd('\r'));
        }
    }

    public override string ToString() => _text.ToString();
}
