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

    /// <summary>Writes a line (none for a bare block), then an opening brace, and indents.</summary>
    public void Open(string line)
    {
        if (line.Length > 0)
        {
            Line(line);
        }

        Line("{");
        _indent++;
    }

    /// <summary>
    /// Opens a counted loop over <paramref name="variable"/> from <paramref name="first"/>; a single iteration becomes
    /// a block with the variable as a constant, which reads better and leaves the JIT nothing to fold.
    /// </summary>
    public void OpenLoop(string variable, int first, int count, bool used = true)
    {
        if (count == 1)
        {
            Open("");
            if (used)
            {
                Line(string.Format(System.Globalization.CultureInfo.InvariantCulture, "const nint {0} = {1};", variable, first));
            }
        }
        else
        {
            Open(string.Format(System.Globalization.CultureInfo.InvariantCulture, "for (nint {0} = {1}; {0} < {2}; {0}++)", variable, first, first + count));
        }
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
